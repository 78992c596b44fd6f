package dev.llmgateway.report;

import dev.llmgateway.report.internal.Tally;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One group's figures for one period: calls by outcome, errors by type, tokens, cost, latency
 * percentiles and the mean feedback score.
 *
 * <p>What counts as an <b>error</b>: a call whose outcome is {@code failed}, {@code stream_failed}
 * (a stream that failed after the caller had events) or {@code refused} (authentication, access,
 * limit, budget or policy). {@code succeeded} calls, cache hits included, are not errors, and
 * neither are {@code cancelled} and {@code not_started} calls (the caller's choice), counted
 * together as {@link #otherCalls()}.
 *
 * <p>Latency percentiles are exact nearest-rank percentiles over the group's calls that record a
 * latency: with the n latencies sorted, p50 is the one at rank {@code ceil(0.50 n)} and p95 the one
 * at rank {@code ceil(0.95 n)}. Memory grows with the calls read, which {@link
 * UsageReport.Builder#maxCalls} bounds.
 *
 * <p>Immutable and thread-safe.
 */
public final class UsageRow {

  /** The value a call without one (no team, no variant, no tags...) is grouped under. */
  public static final String NONE = "(none)";

  private final String period;
  private final List<String> values;
  private final long calls;
  private final long succeeded;
  private final long failed;
  private final long streamFailed;
  private final long refused;
  private final long otherCalls;
  private final long cacheHits;
  private final Map<String, Long> errorsByType;
  private final long inputTokens;
  private final long outputTokens;
  private final long cachedTokens;
  private final long reasoningTokens;
  private final BigDecimal cost;
  private final long unknownCostCalls;
  private final long p50;
  private final long p95;
  private final double meanScore;
  private final long scoredCalls;

  UsageRow(String period, List<String> values, Tally tally) {
    this.period = period;
    this.values = List.copyOf(values);
    this.calls = tally.calls();
    this.succeeded = tally.succeeded();
    this.failed = tally.failed();
    this.streamFailed = tally.streamFailed();
    this.refused = tally.refused();
    this.otherCalls = tally.other();
    this.cacheHits = tally.cacheHits();
    this.errorsByType = Collections.unmodifiableMap(new LinkedHashMap<>(tally.errorsByType()));
    this.inputTokens = tally.inputTokens();
    this.outputTokens = tally.outputTokens();
    this.cachedTokens = tally.cachedTokens();
    this.reasoningTokens = tally.reasoningTokens();
    this.cost = tally.cost();
    this.unknownCostCalls = tally.unknownCostCalls();
    this.p50 = tally.latencyPercentile(50);
    this.p95 = tally.latencyPercentile(95);
    this.meanScore = tally.meanScore();
    this.scoredCalls = tally.scoredCalls();
  }

  /** The period, {@code 2026-12-07} by day or {@code 2026-12} by month (UTC). */
  public String period() {
    return period;
  }

  /** The group's value of each of its table's dimensions, in their order. */
  public List<String> values() {
    return values;
  }

  /** Every call in the group. */
  public long calls() {
    return calls;
  }

  /** Calls that succeeded, cache hits included. */
  public long succeeded() {
    return succeeded;
  }

  /** Calls that failed. */
  public long failed() {
    return failed;
  }

  /** Streams that failed after their commit point. */
  public long streamFailed() {
    return streamFailed;
  }

  /** Calls refused by authentication, access, a limit, a budget or a policy. */
  public long refused() {
    return refused;
  }

  /** Cancelled and never-started calls, and outcomes newer than schema 1: neither ok nor error. */
  public long otherCalls() {
    return otherCalls;
  }

  /** Succeeded calls answered from the cache. */
  public long cacheHits() {
    return cacheHits;
  }

  /** Errors: failed + stream failed + refused. */
  public long errors() {
    return failed + streamFailed + refused;
  }

  /** {@link #errors()} / {@link #calls()}, 0 for no calls. */
  public double errorRate() {
    return calls == 0 ? 0 : (double) errors() / calls;
  }

  /**
   * Errors per error type (the exception's simple class name the record names, else the outcome),
   * sorted by type.
   */
  public Map<String, Long> errorsByType() {
    return errorsByType;
  }

  /** Input tokens, cached ones included. */
  public long inputTokens() {
    return inputTokens;
  }

  /** Output tokens, reasoning included. */
  public long outputTokens() {
    return outputTokens;
  }

  /** Input tokens read from the provider's prompt cache. */
  public long cachedTokens() {
    return cachedTokens;
  }

  /** Reasoning tokens. */
  public long reasoningTokens() {
    return reasoningTokens;
  }

  /** The exact sum of the known costs in US dollars; calls with unknown cost add nothing. */
  public BigDecimal cost() {
    return cost;
  }

  /** Calls whose cost was unknown (no price), left out of {@link #cost()}. */
  public long unknownCostCalls() {
    return unknownCostCalls;
  }

  /** The nearest-rank median latency in microseconds, empty when no call recorded one. */
  public OptionalLong latencyP50Micros() {
    return p50 < 0 ? OptionalLong.empty() : OptionalLong.of(p50);
  }

  /** The nearest-rank 95th percentile latency in microseconds, empty when none was recorded. */
  public OptionalLong latencyP95Micros() {
    return p95 < 0 ? OptionalLong.empty() : OptionalLong.of(p95);
  }

  /** The mean feedback score over the calls that have one, empty when none has. */
  public OptionalDouble meanScore() {
    return scoredCalls == 0 ? OptionalDouble.empty() : OptionalDouble.of(meanScore);
  }

  /** Calls with a feedback score. */
  public long scoredCalls() {
    return scoredCalls;
  }

  @Override
  public String toString() {
    return "UsageRow[" + period + " " + values + ", " + calls + " calls, " + errors()
        + " errors, $" + cost.toPlainString() + "]";
  }
}
