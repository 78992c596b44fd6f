package dev.llmgateway.core.limit;

import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import org.jspecify.annotations.Nullable;

/**
 * The rate limits' {@link LimitStore} failed (a shared store did not answer in time, or refused),
 * so the call was not admitted: it is metered {@code REFUSED} by {@code LIMIT}; a deployment's
 * limit store failing skips that deployment. Retriable: the store may answer the next call. A
 * store may throw a subclass of its own (the Redis store's, when it fails closed); any other
 * failure of a store reaches the caller as this, without the store's message (it may quote keys).
 */
public class LimitStoreException extends GatewayException {
  /**
   * Creates one.
   *
   * @param message what failed, without secrets
   * @param cause the store's failure, or null
   */
  public LimitStoreException(String message, @Nullable Throwable cause) {
    super(message, ErrorDetails.NONE, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
