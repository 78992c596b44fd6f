package dev.llmgateway.report.internal;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The running figures of one group of calls. Not thread-safe. */
public final class Tally {

  long calls;
  long succeeded;
  long failed;
  long streamFailed;
  long refused;
  long other;
  long cacheHits;
  final Map<String, Long> errorsByType = new TreeMap<>();
  long inputTokens;
  long outputTokens;
  long cachedTokens;
  long reasoningTokens;
  BigDecimal cost = BigDecimal.ZERO;
  long unknownCostCalls;
  final Percentiles latencies = new Percentiles();
  double scoreSum;
  long scoredCalls;

  /** Adds one call and its feedback score, if any. */
  public void add(CallRow call, @Nullable Score score) {
    calls++;
    switch (call.outcome()) {
      case SUCCEEDED -> succeeded++;
      case FAILED -> failed++;
      case STREAM_FAILED -> streamFailed++;
      case REFUSED -> refused++;
      default -> other++;
    }
    if (call.cacheHit()) {
      cacheHits++;
    }
    if (call.outcome().isError()) {
      String type = call.errorType() != null ? call.errorType() : call.outcome().label();
      errorsByType.merge(type, 1L, Long::sum);
    }
    inputTokens += call.inputTokens();
    outputTokens += call.outputTokens();
    cachedTokens += call.cachedTokens();
    reasoningTokens += call.reasoningTokens();
    if (call.cost() == null) {
      unknownCostCalls++;
    } else {
      cost = cost.add(call.cost());
    }
    if (call.latencyMicros() >= 0) {
      latencies.add(call.latencyMicros());
    }
    if (score != null) {
      scoreSum += score.score();
      scoredCalls++;
    }
  }

  public long calls() {
    return calls;
  }

  public long succeeded() {
    return succeeded;
  }

  public long failed() {
    return failed;
  }

  public long streamFailed() {
    return streamFailed;
  }

  public long refused() {
    return refused;
  }

  public long other() {
    return other;
  }

  public long cacheHits() {
    return cacheHits;
  }

  public Map<String, Long> errorsByType() {
    return errorsByType;
  }

  public long inputTokens() {
    return inputTokens;
  }

  public long outputTokens() {
    return outputTokens;
  }

  public long cachedTokens() {
    return cachedTokens;
  }

  public long reasoningTokens() {
    return reasoningTokens;
  }

  public BigDecimal cost() {
    return cost;
  }

  public long unknownCostCalls() {
    return unknownCostCalls;
  }

  /** The nearest-rank percentile of the latencies in microseconds, -1 when none was recorded. */
  public long latencyPercentile(double p) {
    return latencies.percentile(p);
  }

  /** The mean feedback score, NaN when no call of the group has one. */
  public double meanScore() {
    return scoredCalls == 0 ? Double.NaN : scoreSum / scoredCalls;
  }

  public long scoredCalls() {
    return scoredCalls;
  }
}
