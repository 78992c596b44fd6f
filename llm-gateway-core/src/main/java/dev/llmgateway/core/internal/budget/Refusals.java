package dev.llmgateway.core.internal.budget;

import dev.llmgateway.BudgetExceededException;
import dev.llmgateway.Deployment;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetStatus;

/**
 * The budget step's messages: each names the budget (its name and scope), the share spent and what
 * to do; never a caller's id or key.
 */
final class Refusals {
  private Refusals() {}

  /** How a budget is named in messages and downgrade reasons: {@code team budget 'x'}. */
  static String named(Budget budget) {
    return budget.scope().label() + " budget '" + budget.name() + "'";
  }

  static String dollars(long nanos) {
    return "$" + Budget.toDollars(nanos).toPlainString();
  }

  private static String spent(Budget budget, BudgetBalance balance) {
    BudgetStatus status = BudgetStatus.of(budget, balance);
    return dollars(balance.spentNanos()) + " of " + dollars(budget.limitNanos()) + " spent ("
        + status.percentSpent() + "%) this " + budget.period().label();
  }

  /** The downgrade reason of a budget past its soft threshold. */
  static String soft(Budget budget, BudgetBalance balance) {
    return named(budget) + " at " + BudgetStatus.of(budget, balance).percentSpent() + "%";
  }

  /** The downgrade reason of a spent {@code DOWNGRADE_ONLY} budget. */
  static String usedUp(Budget budget) {
    return named(budget) + " used up";
  }

  /** A {@code REFUSE} budget whose limit is spent. */
  static BudgetExceededException spentOut(Budget budget, BudgetBalance balance) {
    return new BudgetExceededException(named(budget) + " is used up: " + spent(budget, balance)
        + "; calls are refused until " + balance.counter().periodEnd()
        + " or until its limit is raised");
  }

  /** A spent {@code DOWNGRADE_ONLY} budget, and a route without a downgrade. */
  static BudgetExceededException noDowngrade(Budget budget, BudgetBalance balance, String model) {
    return new BudgetExceededException(named(budget) + " is used up (" + spent(budget, balance)
        + ") and serves only downgraded calls until " + balance.counter().periodEnd() + ", but '"
        + model + "' has no downgrade route (Route.downgradeTo)");
  }

  /** No room for a call's (or an attempt's) reservation. */
  static BudgetExceededException noRoom(Budget budget, BudgetBalance balance, long amount,
      Deployment attempt, boolean first) {
    return new BudgetExceededException(named(budget) + " has no room for "
        + (first ? "this call" : "another attempt at " + attempt) + ": "
        + spent(budget, balance) + " and " + dollars(balance.reservedNanos())
        + " reserved by calls in flight; " + (first ? "it may cost up to " : "it needs ")
        + dollars(amount) + (first ? "" : " more"));
  }

  /** A deployment without a price, under {@code REFUSE_UNPRICED}. */
  static BudgetExceededException unpriced(Deployment deployment) {
    return new BudgetExceededException("no price for " + deployment + ": a call under a budget"
        + " needs one (GatewayBuilder.price(...), or Budgets.builder().unknownCost(...))");
  }
}
