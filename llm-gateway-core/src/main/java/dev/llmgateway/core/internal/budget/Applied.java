package dev.llmgateway.core.internal.budget;

import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;

/**
 * One budget that applies to a call, with the counter it is counted on (its period fixed when the
 * call was admitted), its soft threshold in nano-dollars and its reservation cap at the limit
 * (made once with it: an applied budget is reused by the callers of the same counter).
 */
record Applied(Budget budget, BudgetCounter counter, long softNanos, BudgetStore.Cap cap) {
  /** The budget on its counter, capped at the budget's limit. */
  Applied(Budget budget, BudgetCounter counter, long softNanos) {
    this(budget, counter, softNanos, new BudgetStore.Cap(counter, budget.limitNanos()));
  }
}
