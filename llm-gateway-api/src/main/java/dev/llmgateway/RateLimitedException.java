package dev.llmgateway;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A rate limit was hit: the provider's (HTTP 429) or the gateway's own (RPM, TPM, concurrency).
 * Retriable after {@link #retryAfter()} when known.
 */
public class RateLimitedException extends GatewayException {
  private final @Nullable Duration retryAfter;

  /** Creates one with a message and a server-given delay. */
  public RateLimitedException(String message, @Nullable Duration retryAfter) {
    this(message, retryAfter, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public RateLimitedException(String message, @Nullable Duration retryAfter, ErrorDetails details,
      @Nullable Throwable cause) {
    super(message, details, cause);
    this.retryAfter = retryAfter;
  }

  /** How long to wait before trying again, as the limiter said; or null when it did not say. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
