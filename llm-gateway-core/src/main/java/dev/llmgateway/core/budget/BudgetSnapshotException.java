package dev.llmgateway.core.budget;

import java.io.IOException;

/**
 * A budget store snapshot file that {@link InMemoryBudgetStore} will not restore: not a snapshot,
 * of a newer version, cut short, too large, or holding a value out of range. The message names the
 * line and what is wrong with it (never the values of ids).
 */
public class BudgetSnapshotException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates one.
   *
   * @param message what is wrong, naming the line
   */
  public BudgetSnapshotException(String message) {
    super(message);
  }

  /**
   * Creates one with its cause.
   *
   * @param message what is wrong, naming the line
   * @param cause the parser's failure
   */
  public BudgetSnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
