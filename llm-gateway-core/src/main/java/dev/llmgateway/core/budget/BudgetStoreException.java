package dev.llmgateway.core.budget;

import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link BudgetStore} could not do what a call needed (unreachable, full, failing): the call
 * was not sent to a provider, since its spending could not be counted. Retriable: the store may
 * answer later.
 */
public class BudgetStoreException extends GatewayException {
  /**
   * Creates one.
   *
   * @param message what failed and what to do, without secrets
   * @param cause the store's own failure, or null
   */
  public BudgetStoreException(String message, @Nullable Throwable cause) {
    super(message, ErrorDetails.NONE, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
