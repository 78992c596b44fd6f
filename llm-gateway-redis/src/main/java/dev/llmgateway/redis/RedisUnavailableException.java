package dev.llmgateway.redis;

import dev.llmgateway.core.limit.LimitStoreException;
import org.jspecify.annotations.Nullable;

/**
 * Redis did not answer a rate-limit store in time, or refused the command (disconnected, loading,
 * out of memory, ...), and the stores fail closed ({@link FailurePolicy#failClosed()}): the call
 * was not admitted. Retriable: the store tries Redis again on a later call and recovers by itself
 * when it answers. (A budget store failing closed throws the SPI's own {@link
 * dev.llmgateway.core.budget.BudgetStoreException} instead.) Its message names the failure's type
 * and the policy, never a key or an argument.
 */
public final class RedisUnavailableException extends LimitStoreException {
  /**
   * Creates one.
   *
   * @param message what failed, without secrets
   * @param cause Lettuce's failure, or null
   */
  public RedisUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

}
