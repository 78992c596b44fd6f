package dev.llmgateway.report;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One variant of an alias over the report's period, and the rule's verdict on it. Its figures
 * cover the calls the variant <em>decided</em>: outcomes {@code succeeded}, {@code failed} and
 * {@code stream_failed}, cache hits left out (a refusal comes before any variant serves, a
 * cancellation is the caller's choice, and a cache hit exercises no model). Immutable and
 * thread-safe.
 */
public final class VariantStats {

  private final String variant;
  private final long calls;
  private final long errors;
  private final @Nullable BigDecimal meanCost;
  private final long unknownCostCalls;
  private final double meanScore;
  private final long scoredCalls;
  private final long p50;
  private final long p95;
  private final VariantVerdict verdict;

  VariantStats(String variant, long calls, long errors, @Nullable BigDecimal meanCost,
      long unknownCostCalls, double meanScore, long scoredCalls, long p50, long p95,
      VariantVerdict verdict) {
    this.variant = variant;
    this.calls = calls;
    this.errors = errors;
    this.meanCost = meanCost;
    this.unknownCostCalls = unknownCostCalls;
    this.meanScore = meanScore;
    this.scoredCalls = scoredCalls;
    this.p50 = p50;
    this.p95 = p95;
    this.verdict = verdict;
  }

  /** The variant's name. */
  public String variant() {
    return variant;
  }

  /** Decided calls: succeeded (not from the cache), failed, stream failed. */
  public long calls() {
    return calls;
  }

  /** Failed and stream-failed calls. */
  public long errors() {
    return errors;
  }

  /** {@link #errors()} / {@link #calls()}. */
  public double errorRate() {
    return calls == 0 ? 0 : (double) errors / calls;
  }

  /**
   * The sum of known costs divided by the number of calls with a known cost, to 16 significant
   * digits ({@link java.math.MathContext#DECIMAL64}); empty when no cost is known.
   */
  public Optional<BigDecimal> meanCostPerCall() {
    return Optional.ofNullable(meanCost);
  }

  /** Decided calls whose cost was unknown, left out of the mean. */
  public long unknownCostCalls() {
    return unknownCostCalls;
  }

  /** The mean feedback score over the calls that have one, empty when none has. */
  public OptionalDouble meanScore() {
    return scoredCalls == 0 ? OptionalDouble.empty() : OptionalDouble.of(meanScore);
  }

  /** Decided calls with a feedback score. */
  public long scoredCalls() {
    return scoredCalls;
  }

  /** The nearest-rank median latency in microseconds, empty when none was recorded. */
  public OptionalLong latencyP50Micros() {
    return p50 < 0 ? OptionalLong.empty() : OptionalLong.of(p50);
  }

  /** The nearest-rank 95th percentile latency in microseconds, empty when none was recorded. */
  public OptionalLong latencyP95Micros() {
    return p95 < 0 ? OptionalLong.empty() : OptionalLong.of(p95);
  }

  /** The rule's verdict. */
  public VariantVerdict verdict() {
    return verdict;
  }

  @Override
  public String toString() {
    return "VariantStats[" + variant + ", " + calls + " calls, " + errors + " errors, "
        + verdict + "]";
  }
}
