package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The deployment cannot do what the request asks (tools, images, embeddings, ...). Not retriable
 * there; routing skips such deployments.
 */
public class UnsupportedCapabilityException extends InvalidRequestException {
  /** Creates one with a message only. */
  public UnsupportedCapabilityException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public UnsupportedCapabilityException(String message, ErrorDetails details,
      @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
