package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The prompt plus the wanted output exceed the model's context window. Not retriable as is; a route
 * may fail over to a model with a larger window.
 */
public class ContextLengthExceededException extends InvalidRequestException {
  /** Creates one with a message only. */
  public ContextLengthExceededException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public ContextLengthExceededException(String message, ErrorDetails details,
      @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
