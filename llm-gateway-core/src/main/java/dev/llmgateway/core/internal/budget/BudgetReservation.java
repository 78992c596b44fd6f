package dev.llmgateway.core.internal.budget;

import dev.llmgateway.CallResult;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.core.internal.call.Plan;

/**
 * The budget step's reservation, right after the plan step and before execute: a call the
 * admission left a {@link CallBudget} on reserves the most its plan can cost ({@link
 * CallBudget#reserve}); others pass. A cache hit never gets here (the cache answers before the
 * plan): it reserves nothing and costs nothing.
 */
final class BudgetReservation implements Step {
  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    CallBudget budget = call.tag(CallBudget.class);
    Plan plan = call.plan();
    if (budget != null && plan != null) {
      budget.reserve(plan, chain.request());
    }
    return chain.proceed(chain.request());
  }
}
