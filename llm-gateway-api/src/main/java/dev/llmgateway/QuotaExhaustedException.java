package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The provider account's quota or credit is used up (not a short rate limit). Not retriable at that
 * provider: fail over.
 */
public class QuotaExhaustedException extends GatewayException {
  /** Creates one with a message only. */
  public QuotaExhaustedException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public QuotaExhaustedException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
