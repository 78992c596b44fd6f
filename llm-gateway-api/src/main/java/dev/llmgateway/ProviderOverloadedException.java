package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The provider says it is overloaded (Anthropic's 529 {@code overloaded_error}, a 503). Retriable.
 */
public class ProviderOverloadedException extends ProviderUnavailableException {
  /** Creates one with a message only. */
  public ProviderOverloadedException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public ProviderOverloadedException(String message, ErrorDetails details,
      @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
