package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The request cannot be served as written (a provider's 400, an unknown model or alias). Not
 * retriable: fix the request.
 */
public class InvalidRequestException extends GatewayException {
  /** Creates one with a message only. */
  public InvalidRequestException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public InvalidRequestException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
