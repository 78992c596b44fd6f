package dev.llmgateway.core.budget;

/**
 * What budgets do with a deployment the gateway's price table has no price for (so neither the
 * most a call there can cost nor what it did cost is known: its usage record's cost is null).
 */
public enum UnknownCost {
  /**
   * A call under a budget is never sent to an unpriced deployment: the deployment is skipped with
   * the reason {@code "no price for <deployment>: a call under a budget needs one"} and the call
   * fails over; a call whose candidates are all unpriced is refused ({@link
   * dev.llmgateway.BudgetExceededException}, refused by {@code BUDGET}). The default: a budget
   * then counts every dollar its calls spend. Add prices with {@code GatewayBuilder.price(...)}.
   */
  REFUSE_UNPRICED,
  /**
   * An unpriced deployment reserves nothing and what it used is charged nothing: the budget does
   * not count those calls at all (the priced attempts of the same call are charged).
   */
  CHARGE_NOTHING,
  /**
   * An unpriced deployment reserves at the rate given to {@link
   * Budgets.Builder#unknownCost(UnknownCost, dev.llmgateway.core.cost.Price)}, and a call whose
   * cost turns out unknown is charged everything it had reserved (at least what its priced attempts
   * cost).
   */
  CHARGE_RESERVATION
}
