package dev.llmgateway.core.internal.budget;

import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetCounter;

/**
 * One budget that applies to a call, with the counter it is counted on (its period fixed when the
 * call was admitted) and its soft threshold in nano-dollars.
 */
record Applied(Budget budget, BudgetCounter counter, long softNanos) {}
