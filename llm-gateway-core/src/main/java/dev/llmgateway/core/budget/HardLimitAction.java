package dev.llmgateway.core.budget;

/** What a {@link Budget} does with calls once its settled spending has reached its limit. */
public enum HardLimitAction {
  /**
   * Refuse every call, critical ones included, with a {@link
   * dev.llmgateway.BudgetExceededException}: the budget is a cap (see {@link Budgets} for the
   * worst case).
   */
  REFUSE,
  /**
   * Send every call, critical ones included, down its alias's downgrade route ({@code
   * Route.downgradeTo}) and refuse a call whose route has none. Calls on the downgrade route are
   * not held to this budget's limit (it does not refuse them for lack of room), so spending goes on
   * past the limit at the cheaper route's prices: the budget caps what the expensive routes spend,
   * not the total. Other budgets of the call still apply.
   */
  DOWNGRADE_ONLY
}
