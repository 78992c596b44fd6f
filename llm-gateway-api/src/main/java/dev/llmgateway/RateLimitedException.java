package dev.llmgateway;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A rate limit was hit: the provider's (HTTP 429) or the gateway's own (RPM, TPM, concurrency).
 * Retriable after {@link #retryAfter()} when known; {@link #limit()} names the gateway's own limit
 * that refused (null for a provider's 429).
 */
public class RateLimitedException extends GatewayException {
  private final @Nullable Duration retryAfter;
  private final @Nullable String limit;

  /** Creates one with a message and a server-given delay. */
  public RateLimitedException(String message, @Nullable Duration retryAfter) {
    this(message, retryAfter, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public RateLimitedException(String message, @Nullable Duration retryAfter, ErrorDetails details,
      @Nullable Throwable cause) {
    super(message, details, cause);
    this.retryAfter = retryAfter;
    this.limit = null;
  }

  /**
   * Creates one for the gateway's own rate limit.
   *
   * @param message which limit refused, and when to try again; never a raw end-user id
   * @param retryAfter how long until the limit admits the call again, or null when unknown
   * @param limit the limit's name, e.g. {@code team-rpm}
   */
  public RateLimitedException(String message, @Nullable Duration retryAfter, String limit) {
    super(message, ErrorDetails.NONE, null);
    this.retryAfter = retryAfter;
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  /** How long to wait before trying again, as the limiter said; or null when it did not say. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** The name of the gateway's rate limit that refused the call; null for a provider's 429. */
  public @Nullable String limit() {
    return limit;
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
