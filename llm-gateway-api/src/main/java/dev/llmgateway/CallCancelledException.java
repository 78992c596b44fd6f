package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The caller cancelled the call: its thread was interrupted while the gateway worked for it. Not a
 * provider's failure — no circuit breaker counts it, and the call is metered as cancelled. The
 * interrupt flag of the calling thread is set again when this is thrown.
 */
public class CallCancelledException extends GatewayException {
  /** Creates one with a message and an optional cause. */
  public CallCancelledException(String message, @Nullable Throwable cause) {
    super(message, ErrorDetails.NONE, cause);
  }
}
