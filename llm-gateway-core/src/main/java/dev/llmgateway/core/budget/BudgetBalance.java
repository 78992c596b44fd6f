package dev.llmgateway.core.budget;

import java.util.Objects;

/**
 * A {@link BudgetCounter}'s figures as a {@link BudgetStore} returns them, in nano-dollars.
 * Immutable and thread-safe.
 *
 * @param counter the counter
 * @param spentNanos what settled calls cost in its period
 * @param reservedNanos what calls in flight hold (their leases not expired)
 * @param marks the threshold announcements made in its period ({@link BudgetStore#mark}): bits the
 *     gateway sets and the store keeps
 */
public record BudgetBalance(BudgetCounter counter, long spentNanos, long reservedNanos,
    int marks) {
  /** Validates. */
  public BudgetBalance {
    Objects.requireNonNull(counter, "counter");
    if (spentNanos < 0 || reservedNanos < 0) {
      throw new IllegalArgumentException("a balance is never negative, was spent " + spentNanos
          + ", reserved " + reservedNanos);
    }
  }

  /** A counter nothing has been spent or reserved on. */
  public static BudgetBalance empty(BudgetCounter counter) {
    return new BudgetBalance(counter, 0, 0, 0);
  }
}
