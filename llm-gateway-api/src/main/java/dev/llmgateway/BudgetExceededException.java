package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/** The caller's budget is exhausted. Not retriable until the budget resets or is raised. */
public class BudgetExceededException extends GatewayException {
  /** Creates one with a message only. */
  public BudgetExceededException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public BudgetExceededException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
  }
}
