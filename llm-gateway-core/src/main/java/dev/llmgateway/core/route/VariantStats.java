package dev.llmgateway.core.route;

import dev.llmgateway.core.Gateway;
import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The running figures of one A/B variant, as {@link Gateway#variants(String)} reports them.
 * Latency percentiles cover calls a provider answered (cache hits are counted in {@code calls}
 * and {@code cacheHits} but kept out of latency); cost sums the calls whose price is known.
 * {@link #toString()} prints the figures on one line, the cost in plain notation.
 *
 * @param alias the alias whose split holds the variant
 * @param variant the variant's name
 * @param calls calls that landed in the variant, whatever their outcome
 * @param errors calls that ended with an exception
 * @param cacheHits calls the cache answered
 * @param latencyP50 median latency of answered, non-cached calls, or null before the first
 * @param latencyP95 95th percentile latency, or null
 * @param latencyP99 99th percentile latency, or null
 * @param inputTokens input tokens of all calls
 * @param outputTokens output tokens of all calls
 * @param cost the summed cost of the calls with a known price, in US dollars
 * @param unpricedCalls calls whose cost is unknown (not in {@code cost})
 * @param scores how many feedback scores were attached
 * @param meanScore the mean of those scores, or null when there are none
 */
public record VariantStats(
    String alias,
    String variant,
    long calls,
    long errors,
    long cacheHits,
    @Nullable Duration latencyP50,
    @Nullable Duration latencyP95,
    @Nullable Duration latencyP99,
    long inputTokens,
    long outputTokens,
    BigDecimal cost,
    long unpricedCalls,
    long scores,
    @Nullable Double meanScore) {

  /**
   * The figures on one line, e.g. {@code VariantStats[smart/b: 40 calls, 1 errors, 3 cache hits,
   * p50 41 ms, p95 180 ms, p99 420 ms, 3840 in, 360 out, $0.0105, 0 unpriced, 0 scores]}.
   */
  @Override
  public String toString() {
    return "VariantStats[" + alias + "/" + variant + ": " + calls + " calls, " + errors
        + " errors, " + cacheHits + " cache hits, p50 " + millis(latencyP50) + ", p95 "
        + millis(latencyP95) + ", p99 " + millis(latencyP99) + ", " + inputTokens + " in, "
        + outputTokens + " out, $" + (cost.signum() == 0 ? "0"
            : cost.stripTrailingZeros().toPlainString()) + ", " + unpricedCalls + " unpriced, "
        + scores + " scores" + (meanScore == null ? "" : ", mean " + meanScore) + "]";
  }

  private static String millis(@Nullable Duration d) {
    return d == null ? "-" : d.toMillis() + " ms";
  }
}
