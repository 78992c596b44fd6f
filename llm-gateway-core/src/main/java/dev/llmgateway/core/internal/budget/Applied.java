package dev.llmgateway.core.internal.budget;

import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;
import java.util.List;

/**
 * One budget that applies to a call, with the counter it is counted on (its period fixed when the
 * call was admitted), its soft threshold in nano-dollars and its reservation cap at the limit
 * (made once with it: an applied budget is reused by the callers of the same counter), and the
 * lists of a call with this budget alone, its counter and its cap.
 */
record Applied(Budget budget, BudgetCounter counter, long softNanos, BudgetStore.Cap cap,
    List<BudgetCounter> counters, List<BudgetStore.Cap> caps) {
  /** The budget on its counter, capped at the budget's limit. */
  Applied(Budget budget, BudgetCounter counter, long softNanos) {
    this(budget, counter, softNanos, new BudgetStore.Cap(counter, budget.limitNanos()));
  }

  private Applied(Budget budget, BudgetCounter counter, long softNanos, BudgetStore.Cap cap) {
    this(budget, counter, softNanos, cap, List.of(counter), List.of(cap));
  }
}
