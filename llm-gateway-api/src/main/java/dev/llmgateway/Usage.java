package dev.llmgateway;

/**
 * Token counts with one meaning for every provider.
 *
 * <ul>
 *   <li>{@code inputTokens}: all prompt tokens, cached ones included;
 *   <li>{@code cachedInputTokens} (read from the provider's prompt cache) and {@code
 *       cacheWriteTokens} (written to it) are subsets of {@code inputTokens}; {@code
 *       cacheWrite1hTokens} is the part of the writes kept for an hour (Anthropic prices 5-minute
 *       and 1-hour writes differently), a subset of {@code cacheWriteTokens};
 *   <li>{@code outputTokens}: all generated tokens, reasoning included;
 *   <li>{@code reasoningTokens} is a subset of {@code outputTokens};
 *   <li>{@code estimated}: the provider reported no counts (a cancelled stream, a losing hedged
 *       attempt) and the gateway estimated them.
 * </ul>
 *
 * Each transport's javadoc says how it maps its provider's counts onto these. {@link #toString()}
 * prints the counts that are not zero: {@code Usage[1412 in (1024 cached, 256 cache writes), 11
 * out]}.
 *
 * @param inputTokens all prompt tokens
 * @param outputTokens all generated tokens
 * @param cachedInputTokens prompt tokens read from cache
 * @param cacheWriteTokens prompt tokens written to cache
 * @param cacheWrite1hTokens the cache writes with a one-hour lifetime
 * @param reasoningTokens generated tokens spent on reasoning
 * @param estimated whether these counts are the gateway's estimate
 */
public record Usage(
    long inputTokens,
    long outputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long cacheWrite1hTokens,
    long reasoningTokens,
    boolean estimated) {

  /** No tokens. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, false);

  /** Validates the subset relations. */
  public Usage {
    if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0
        || cacheWrite1hTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0");
    }
    if (cachedInputTokens + cacheWriteTokens > inputTokens) {
      throw new IllegalArgumentException("cached (" + cachedInputTokens + ") + cache-write ("
          + cacheWriteTokens + ") tokens exceed input tokens (" + inputTokens + ")");
    }
    if (cacheWrite1hTokens > cacheWriteTokens) {
      throw new IllegalArgumentException("one-hour cache writes (" + cacheWrite1hTokens
          + ") exceed cache-write tokens (" + cacheWriteTokens + ")");
    }
    if (reasoningTokens > outputTokens) {
      throw new IllegalArgumentException("reasoning tokens (" + reasoningTokens
          + ") exceed output tokens (" + outputTokens + ")");
    }
  }

  /** Counts without one-hour cache writes (every provider but Anthropic). */
  public Usage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens,
      long reasoningTokens, boolean estimated) {
    this(inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, 0, reasoningTokens,
        estimated);
  }

  /** Exact counts of input and output tokens. */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0, false);
  }

  /** Estimated counts of input and output tokens. */
  public static Usage estimate(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0, true);
  }

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** The sum of two usages; estimated if either is. */
  public Usage plus(Usage other) {
    if (other == ZERO) {
      return this;
    }
    if (this == ZERO) {
      return other;
    }
    return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
        cachedInputTokens + other.cachedInputTokens, cacheWriteTokens + other.cacheWriteTokens,
        cacheWrite1hTokens + other.cacheWrite1hTokens, reasoningTokens + other.reasoningTokens,
        estimated || other.estimated);
  }

  /**
   * The counts as {@code toString} prints them, without the type's name: {@code 1412 in (1024
   * cached, 256 cache writes, 200 of them 1h), 11 out (3 reasoning), estimated}.
   */
  String describe() {
    StringBuilder s = new StringBuilder(48).append(inputTokens).append(" in");
    if (cachedInputTokens > 0 || cacheWriteTokens > 0) {
      s.append(" (");
      if (cachedInputTokens > 0) {
        s.append(cachedInputTokens).append(" cached");
      }
      if (cacheWriteTokens > 0) {
        s.append(cachedInputTokens > 0 ? ", " : "").append(cacheWriteTokens)
            .append(" cache writes");
        if (cacheWrite1hTokens > 0) {
          s.append(", ").append(cacheWrite1hTokens).append(" of them 1h");
        }
      }
      s.append(')');
    }
    s.append(", ").append(outputTokens).append(" out");
    if (reasoningTokens > 0) {
      s.append(" (").append(reasoningTokens).append(" reasoning)");
    }
    return estimated ? s.append(", estimated").toString() : s.toString();
  }

  /** The counts that are not zero, on one line: {@code Usage[96 in (64 cached), 9 out]}. */
  @Override
  public String toString() {
    return "Usage[" + describe() + "]";
  }
}
