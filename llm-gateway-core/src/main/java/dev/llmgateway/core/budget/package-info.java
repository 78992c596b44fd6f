/**
 * Budgets: spending caps per org, team, project or API key over a calendar period, with a soft
 * threshold that downgrades non-critical calls to their alias's cheaper route and a hard limit that
 * refuses (or only downgrades). {@link dev.llmgateway.core.budget.Budgets} holds the budgets, the
 * {@link dev.llmgateway.core.budget.BudgetStore} that counts them (in memory by default: {@link
 * dev.llmgateway.core.budget.InMemoryBudgetStore}) and the run-time admin; give it to {@code
 * GatewayBuilder.budgets(...)}. Before a call the gateway reserves the most the call can cost,
 * after it settles what the call's usage record says it cost; {@link
 * dev.llmgateway.core.budget.Budgets} states the worst-case overspend and its assumptions.
 */
@NullMarked
package dev.llmgateway.core.budget;

import org.jspecify.annotations.NullMarked;
