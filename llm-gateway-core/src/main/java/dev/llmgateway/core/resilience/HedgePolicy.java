package dev.llmgateway.core.resilience;

import dev.llmgateway.core.route.Route;
import java.time.Duration;
import java.util.Objects;

/**
 * Hedged requests, opt-in per route ({@link Route#hedge(HedgePolicy)}): when the first attempt
 * has produced no answer (unary) or no first token (streams) after a threshold, the next
 * candidate is started in parallel; the first to produce wins and the other is cancelled. Both
 * attempts are in the response's story and both attempts' tokens in the usage record (estimated
 * and flagged where the provider reported none). One hedge per call. Immutable.
 *
 * <p>The threshold is fixed ({@link #after(Duration)}) or a percentile of the first candidate's
 * observed latency ({@link #atPercentile(double, Duration, Duration)}, time to first token for
 * streams), clamped to a range.
 */
public final class HedgePolicy {
  private final Duration fixed;
  private final double percentile;
  private final Duration min;
  private final Duration max;

  private HedgePolicy(Duration fixed, double percentile, Duration min, Duration max) {
    this.fixed = fixed;
    this.percentile = percentile;
    this.min = min;
    this.max = max;
  }

  /** Hedges once the first attempt has been silent for {@code threshold}. */
  public static HedgePolicy after(Duration threshold) {
    Objects.requireNonNull(threshold, "threshold");
    if (threshold.isNegative()) {
      throw new IllegalArgumentException("threshold must not be negative, was " + threshold);
    }
    return new HedgePolicy(threshold, 0, threshold, threshold);
  }

  /**
   * Hedges once the first attempt has been silent longer than the given percentile (e.g. 0.95) of
   * its deployment's recent successful latencies, clamped to [{@code min}, {@code max}]; {@code
   * max} while there are no observations yet.
   */
  public static HedgePolicy atPercentile(double percentile, Duration min, Duration max) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (!(percentile > 0 && percentile < 1)) {
      throw new IllegalArgumentException("percentile must be within (0, 1), was " + percentile);
    }
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("needs 0 <= min <= max, was " + min + " and " + max);
    }
    return new HedgePolicy(Duration.ZERO, percentile, min, max);
  }

  /** The percentile used, or 0 for a fixed threshold. */
  public double percentile() {
    return percentile;
  }

  /**
   * The threshold in nanoseconds.
   *
   * @param observedNanos the deployment's latency at {@link #percentile()}, or a negative number
   *     when unknown
   */
  public long thresholdNanos(long observedNanos) {
    if (percentile == 0) {
      return fixed.toNanos();
    }
    if (observedNanos < 0) {
      return max.toNanos();
    }
    return Math.max(min.toNanos(), Math.min(max.toNanos(), observedNanos));
  }

  @Override
  public String toString() {
    return percentile == 0 ? "HedgePolicy[after " + fixed + "]"
        : "HedgePolicy[p" + Math.round(percentile * 100) + " within " + min + ".." + max + "]";
  }
}
