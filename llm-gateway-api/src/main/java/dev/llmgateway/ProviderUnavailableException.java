package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The provider failed or could not be reached (5xx, connection refused or reset, a malformed or
 * truncated response). Retriable.
 */
public class ProviderUnavailableException extends GatewayException {
  /** Creates one with a message only. */
  public ProviderUnavailableException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public ProviderUnavailableException(String message, ErrorDetails details,
      @Nullable Throwable cause) {
    super(message, details, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }}
