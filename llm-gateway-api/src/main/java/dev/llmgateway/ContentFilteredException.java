package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/** A provider's safety system blocked the prompt or the answer. Not retriable as is. */
public class ContentFilteredException extends GatewayException {
  /** Creates one with a message only. */
  public ContentFilteredException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public ContentFilteredException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
