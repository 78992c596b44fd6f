package dev.llmgateway.core.internal.budget;

import dev.llmgateway.CallResult;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStatus;
import dev.llmgateway.core.budget.BudgetStoreException;
import dev.llmgateway.core.budget.HardLimitAction;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.core.route.Downgrade;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The budget step's admission, right after access: reads the caller's budgets (one store read
 * over all of them) and refuses a call a spent {@link HardLimitAction#REFUSE} budget holds back;
 * sets the call's {@link Downgrade} when a budget is past its soft threshold and the call is not
 * critical, or when a {@link HardLimitAction#DOWNGRADE_ONLY} budget is spent (critical or not);
 * leaves a {@link CallBudget} for the reservation after the plan. A caller no budget applies to
 * passes with a map lookup per scope.
 */
final class BudgetAdmission implements Step {
  private static final int MAX_BUDGETS_PER_CALL = 16;

  private final BudgetEngine engine;

  BudgetAdmission(BudgetEngine engine) {
    this.engine = engine;
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    Principal principal = call.principal();
    if (principal == null) {
      return chain.proceed(chain.request());
    }
    Instant now = engine.clock.instant();
    List<Applied> applied = engine.applicable(principal, now);
    if (applied.isEmpty()) {
      return chain.proceed(chain.request());
    }
    if (applied.size() > MAX_BUDGETS_PER_CALL) {
      call.refuse(UsageRecord.Refusal.BUDGET);
      throw new BudgetStoreException(applied.size() + " budgets apply to this caller; at most "
          + MAX_BUDGETS_PER_CALL + " may", null);
    }
    List<BudgetCounter> counters; // never changed from here on
    if (applied.size() == 1) {
      counters = applied.get(0).counters(); // one budget, as a rule: its list as made
    } else {
      BudgetCounter[] each = new BudgetCounter[applied.size()];
      for (int i = 0; i < each.length; i++) {
        each[i] = applied.get(i).counter();
      }
      counters = Arrays.asList(each);
    }
    List<BudgetBalance> balances;
    try {
      balances = engine.store.balances(counters, now);
    } catch (RuntimeException e) {
      call.refuse(UsageRecord.Refusal.BUDGET);
      throw BudgetEngine.storeFailed("to read the call's budgets", e);
    }
    boolean critical = chain.request().options().critical();
    Applied forced = null;
    BudgetBalance forcedBalance = null;
    String soft = null;
    int softest = -1; // the highest share spent among the budgets past their soft thresholds
    for (int i = 0; i < applied.size(); i++) {
      Applied a = applied.get(i);
      BudgetBalance balance = balances.get(i);
      Budget budget = a.budget();
      if (balance.spentNanos() >= budget.limitNanos()) {
        if (budget.atHardLimit() == HardLimitAction.REFUSE) {
          engine.refused(a, balance, now);
          call.refuse(UsageRecord.Refusal.BUDGET);
          throw Refusals.spentOut(budget, balance);
        }
        if (forced == null) {
          forced = a;
          forcedBalance = balance;
        }
      } else if (!critical && balance.spentNanos() >= a.softNanos()) {
        int share = BudgetStatus.of(budget, balance).percentSpent();
        if (share > softest) {
          softest = share;
          soft = Refusals.soft(budget, balance);
        }
      }
    }
    String reason = forced != null ? Refusals.usedUp(forced.budget()) : soft;
    if (reason != null && call.tag(Downgrade.class) == null) {
      call.tag(Downgrade.class, new Downgrade(reason));
    }
    call.tag(CallBudget.class,
        new CallBudget(engine, call, applied, counters, forced, forcedBalance));
    return chain.proceed(chain.request());
  }
}
