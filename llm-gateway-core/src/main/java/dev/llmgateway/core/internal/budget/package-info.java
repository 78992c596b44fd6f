/**
 * The budget step (see {@link dev.llmgateway.core.budget.Budgets} for what it does): {@link
 * dev.llmgateway.core.internal.budget.BudgetAdmission} right after access reads the caller's
 * budgets and refuses or downgrades; {@link dev.llmgateway.core.internal.budget.BudgetReservation}
 * right after the plan reserves the most the call can cost and leaves a {@link
 * dev.llmgateway.core.internal.budget.CallBudget} on the call, which grows the reservation before
 * each further attempt (an {@code AttemptGate}) and settles it when the call ends (a {@code
 * CallEnd} hook, from the call's usage record).
 */
@NullMarked
package dev.llmgateway.core.internal.budget;

import org.jspecify.annotations.NullMarked;
