package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * A credential was missing or rejected: the caller's (API key, JWT) or the gateway's own key at a
 * provider. Not retriable.
 */
public class AuthenticationException extends GatewayException {
  /** Creates one with a message only. */
  public AuthenticationException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public AuthenticationException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
