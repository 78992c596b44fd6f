package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * A bug: an interceptor, listener or transport threw something that is not a {@link
 * GatewayException}. The cause is attached.
 */
public class GatewayInternalException extends GatewayException {
  /** Creates one with a message only. */
  public GatewayInternalException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public GatewayInternalException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
