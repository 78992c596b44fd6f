package dev.llmgateway.core.limit;

import dev.llmgateway.GatewayRequest;

/**
 * Counts a request's input tokens before the call, for {@link RateLimit.Kind#TOKENS} limits: what
 * a call is counted for at admission, settled to its actual usage when it ends.
 *
 * <p>{@link #standard()} counts exactly, with OpenAI's own tokenizers (jtokkit), for the models that
 * use them, and estimates the others with a stated safety factor. Your own (a provider's
 * count-tokens endpoint behind a cache, say) is given to {@link
 * RateLimits.Builder#tokenCounter(TokenCounter)}; it is called once per call that has a token
 * limit, on the caller's thread, so it must be fast, must bound its own work on hostile input and
 * must not throw.
 */
@FunctionalInterface
public interface TokenCounter {
  /** The safety factor of {@link #standard()} for models it cannot count exactly: 1.25. */
  double DEFAULT_SAFETY_FACTOR = 1.25;

  /**
   * The input tokens {@code request} will cost at {@code model}.
   *
   * @param request the request as it reaches admission
   * @param model the model the caller named, without a configured provider's {@code provider/}
   *     prefix: an alias stays an alias (the route is not chosen yet), so an alias is estimated
   * @return at least 0
   */
  long inputTokens(GatewayRequest request, String model);

  /**
   * The standard counter: OpenAI's tokenizers where the model is known to use one — {@code
   * o200k_base} for the {@code gpt-4o}, {@code chatgpt-4o}, {@code gpt-4.1}, {@code gpt-4.5},
   * {@code gpt-5}, {@code o1}, {@code o3}, {@code o4} and {@code gpt-oss} families, {@code
   * cl100k_base} for {@code gpt-4}, {@code gpt-3.5-turbo} (Azure's {@code gpt-35-turbo}) and
   * {@code text-embedding-ada-002} / {@code text-embedding-3-*}; fine-tunes ({@code ft:gpt-4o-...})
   * as their base — counted as OpenAI's cookbook counts chat messages (3 tokens per message, its
   * role, content and name, 1 more for a name, 3 to prime the reply; tool calls by name and
   * arguments, tool definitions by name, description and schema; an image as 765 tokens, a
   * document as nothing). Any other model (an alias too): {@code TokenEstimator.input(request)}
   * times {@link #DEFAULT_SAFETY_FACTOR}, rounded up.
   *
   * <p>The work is bounded: a request's first 2,048 characters of text are counted exactly; the
   * rest is extrapolated at the density of what was counted (at least one token per four
   * characters) times the safety factor, so a 10 MB prompt costs a length sum, not seconds, and
   * hostile text (jtokkit's {@code o200k_base} takes about 5 µs a character of random CJK) at most
   * about 10 ms. Each encoding is loaded once, on first use (a few hundred milliseconds).
   * Thread-safe.
   */
  static TokenCounter standard() {
    return StandardTokenCounter.DEFAULT;
  }

  /**
   * {@link #standard()} with another safety factor for what it estimates.
   *
   * @throws IllegalArgumentException unless {@code safetyFactor} is from 1 to 10
   */
  static TokenCounter standard(double safetyFactor) {
    return new StandardTokenCounter(safetyFactor, StandardTokenCounter.EXACT_CHARS);
  }
}
