package dev.llmgateway;

import java.time.Duration;
import java.util.Objects;

/**
 * A prompt-caching hint on a content part: providers that support explicit cache breakpoints
 * (Anthropic's {@code cache_control}) cache the prompt up to and including the marked part; others
 * ignore it.
 *
 * @param ttl how long the provider should keep the cached prefix (Anthropic knows 5 minutes and 1
 *     hour)
 */
public record CacheControl(Duration ttl) {
  /** The provider's default, short-lived cache (5 minutes at Anthropic). */
  public static final CacheControl EPHEMERAL = new CacheControl(Duration.ofMinutes(5));

  /** A one-hour cache. */
  public static final CacheControl ONE_HOUR = new CacheControl(Duration.ofHours(1));

  /** Validates the TTL. */
  public CacheControl {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache ttl must be positive, was " + ttl);
    }
  }
}
