package dev.llmgateway.core.internal.budget;

import dev.llmgateway.Principal;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetEvent;
import dev.llmgateway.core.budget.BudgetStatus;
import dev.llmgateway.core.budget.BudgetStore;
import dev.llmgateway.core.budget.BudgetStoreException;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.internal.call.Guard;
import dev.llmgateway.spi.Interceptor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the budget step's two interceptors share, one per gateway: the {@link Budgets}, their store
 * and clock, the costs by the gateway's price table, the index of the budgets now configured
 * (rebuilt when an admin change replaced the list), and the threshold announcements.
 *
 * <p>Thread-safe.
 */
public final class BudgetEngine {
  /** The budget step's logger: a settle the store never took. */
  static final Logger LOG = LoggerFactory.getLogger("dev.llmgateway.core.budget");
  /** Marks: the thresholds announced, one bit each. */
  static final int MARK_50 = 1;
  static final int MARK_80 = 2;
  static final int MARK_100 = 4;
  /** Tries of a settle (the first and two more, at once) before it is left to the lease. */
  static final int SETTLE_TRIES = 3;

  final Budgets budgets;
  final BudgetStore store;
  final Clock clock;
  final Costs costs;
  private final Guard listenerGuard;
  private volatile BudgetIndex index = BudgetIndex.empty();

  /**
   * The budget step of a gateway over {@code budgets} (whose clock the gateway's builder has set)
   * and the gateway's {@code prices}.
   */
  public BudgetEngine(Budgets budgets, PriceTable prices) {
    this.budgets = budgets;
    this.store = budgets.store();
    this.clock = budgets.clock();
    this.costs = new Costs(prices, budgets.unknownCost(), budgets.unpricedRate(),
        budgets.defaultMaxOutputTokens());
    this.listenerGuard = new Guard("budget listener", budgets.listener());
  }

  /** The admission interceptor, to run right after access. */
  public Interceptor admission() {
    return new BudgetAdmission(this);
  }

  /** The reservation interceptor, to run right after the plan step. */
  public Interceptor reservation() {
    return new BudgetReservation();
  }

  /** The budgets that apply to {@code principal} now, with their counters. */
  List<Applied> applicable(Principal principal, Instant now) {
    List<Budget> current = budgets.list();
    BudgetIndex i = index;
    if (i.source != current) {
      i = new BudgetIndex(current, i);
      index = i;
    }
    return i.applicable(principal, now);
  }

  /** The budget as configured now (its limit may have changed since the call was admitted). */
  Budget current(Budget admitted) {
    Budget now = budgets.find(admitted.name());
    return now != null && now.scope() == admitted.scope() ? now : admitted;
  }

  /** Announces the thresholds that settled spending reached and nobody announced yet. */
  void settled(List<Applied> applied, List<BudgetBalance> balances, Instant now) {
    for (int i = 0; i < applied.size() && i < balances.size(); i++) {
      BudgetBalance balance = balances.get(i);
      Budget budget = current(applied.get(i).budget());
      long limit = budget.limitNanos();
      long spent = balance.spentNanos();
      int reached = (spent >= percentOf(limit, 50) ? MARK_50 : 0)
          | (spent >= percentOf(limit, 80) ? MARK_80 : 0)
          | (spent >= limit ? MARK_100 : 0);
      int todo = reached & ~balance.marks();
      if (todo != 0) {
        announce(budget, balance, todo, false, now);
      }
    }
  }

  /** Announces 100 % for a budget that refused a call, unless announced before this period. */
  void refused(Applied applied, BudgetBalance balance, Instant now) {
    if ((balance.marks() & MARK_100) == 0) {
      announce(current(applied.budget()), balance, MARK_100, true, now);
    }
  }

  private void announce(Budget budget, BudgetBalance balance, int bits, boolean refusal,
      Instant now) {
    int newly;
    try {
      newly = store.mark(balance.counter(), bits, now);
    } catch (RuntimeException e) {
      LOG.warn("the budget store failed to mark a threshold of budget '{}' ({}); not announced",
          budget.name(), e.getClass().getSimpleName());
      return;
    }
    BudgetStatus status = BudgetStatus.of(budget, balance);
    int[] percents = {50, 80, 100};
    int[] marks = {MARK_50, MARK_80, MARK_100};
    for (int i = 0; i < marks.length; i++) {
      if ((newly & marks[i]) != 0) {
        try {
          budgets.listener().onThreshold(new BudgetEvent(percents[i], status, refusal));
        } catch (Throwable t) {
          listenerGuard.failed("onThreshold", t);
        }
      }
    }
  }

  /** {@code percent} % of {@code limit}, rounded up, without overflow. */
  static long percentOf(long limit, int percent) {
    long whole = limit / 100 * percent;
    long part = limit % 100 * percent;
    return whole + (part + 99) / 100;
  }

  /** The typed failure of a call whose store failed while {@code doing} something. */
  static BudgetStoreException storeFailed(String doing, RuntimeException e) {
    if (e instanceof BudgetStoreException typed) {
      return typed;
    }
    LOG.debug("the budget store failed {}", doing, e); // its text is the store's: DEBUG only
    return new BudgetStoreException("the budget store failed " + doing + " ("
        + e.getClass().getSimpleName() + "); the call was not sent", null);
  }
}
