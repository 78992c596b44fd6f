package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The caller is authenticated but may not do this (model, provider, token limit, org policy). Not
 * retriable.
 */
public class AccessDeniedException extends GatewayException {
  /** Creates one with a message only. */
  public AccessDeniedException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public AccessDeniedException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
