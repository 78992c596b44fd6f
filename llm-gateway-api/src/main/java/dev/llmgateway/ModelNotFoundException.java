package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/** The provider does not know the model (or the caller may not see it). Not retriable there. */
public class ModelNotFoundException extends InvalidRequestException {
  /** Creates one with a message only. */
  public ModelNotFoundException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public ModelNotFoundException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
