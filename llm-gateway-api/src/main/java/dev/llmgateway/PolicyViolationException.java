package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * An input or output policy (content filter, prompt-injection scan, schema check) rejected the
 * call. Not retriable as is.
 */
public class PolicyViolationException extends GatewayException {
  /** Creates one with a message only. */
  public PolicyViolationException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public PolicyViolationException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
