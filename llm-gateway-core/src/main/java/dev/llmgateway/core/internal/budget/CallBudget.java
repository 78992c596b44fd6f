package dev.llmgateway.core.internal.budget;

import dev.llmgateway.Attempt;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;
import dev.llmgateway.core.budget.HardLimitAction;
import dev.llmgateway.core.budget.UnknownCost;
import dev.llmgateway.core.internal.call.AttemptGate;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallEnd;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.spi.AttemptContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One call's budgets (the call's slot of this type, left by the admission): the budgets that apply
 * with their counters, and, once the plan is made, the call's reservation.
 *
 * <ul>
 *   <li>{@link #reserve}: reserves the most the first attempt can cost — at the dearest candidate,
 *       since a breaker may skip to any of them — on all the call's counters at once, registers
 *       itself as the call's end hook and attempt gate.
 *   <li>{@link #admit} (the gate, before every attempt): what the ended attempts cost (their usage
 *       at their prices) plus the most the running ones (a hedge's first attempt) and the new one
 *       can cost must fit the reservation, else the reservation grows by the difference; a budget
 *       without that room refuses the attempt, which is skipped with the reason. A running attempt
 *       is one started and not yet ended ({@link Call#attemptCount()} against the ended attempts);
 *       which deployment it runs at is matched from the attempts this gate admitted, and when that
 *       is ambiguous (the breaker refused an attempt after this gate admitted it) the dearest is
 *       counted: the reservation is then larger than needed, never smaller.
 *   <li>{@link #ended} (the end hook): settles the call's record's cost (rounded up to the
 *       nano-dollar) and releases the rest, once; announces the thresholds reached.
 * </ul>
 *
 * <p>Thread-safe: the gate may be asked on the executor for a hedge while the first attempt runs;
 * its decisions are made under this object's monitor (one per call, uncontended but for a hedge).
 */
final class CallBudget implements AttemptGate, CallEnd {
  private final BudgetEngine engine;
  private final Call call;
  private final List<Applied> applied;
  private final List<BudgetCounter> counters;
  /** A spent DOWNGRADE_ONLY budget: the call must be downgraded, or it is refused. */
  private final @Nullable Applied forced;
  private final @Nullable BudgetBalance forcedBalance;
  // Set by reserve(), before this object is published as the call's gate and end hook.
  private List<BudgetStore.Cap> caps = List.of();
  private Instant leaseUntil = Instant.EPOCH;
  private long inputTokens;
  private long outputTokens;
  /** Whether the store was asked to reserve (so the end must settle). */
  private volatile boolean touched;
  /** What the store holds for the call; guarded by this. */
  private long reserved;
  /**
   * The deployments this gate admitted an attempt at, and each one's most, {@code admittedCount}
   * of them: the first in fields (a call makes one attempt, as a rule), the others in arrays made
   * for a second; guarded by this.
   */
  private @Nullable Deployment firstAdmitted;
  private long firstMax;
  private Deployment @Nullable [] moreAdmitted;
  private long @Nullable [] moreMax;
  private int admittedCount;

  /**
   * The budgets of {@code call}: {@code applied}, and {@code counters}, theirs in the same order (a
   * list nobody changes afterwards).
   */
  CallBudget(BudgetEngine engine, Call call, List<Applied> applied, List<BudgetCounter> counters,
      @Nullable Applied forced, @Nullable BudgetBalance forcedBalance) {
    this.engine = engine;
    this.call = call;
    this.applied = applied;
    this.counters = counters;
    this.forced = forced;
    this.forcedBalance = forcedBalance;
  }

  /**
   * Reserves the most the plan's first attempt can cost on every budget of the call, and makes this
   * the call's end hook and attempt gate.
   *
   * @throws dev.llmgateway.BudgetExceededException (the call refused by {@code BUDGET}) if a budget
   *     has no room, every candidate is unpriced under {@code REFUSE_UNPRICED}, or a spent {@code
   *     DOWNGRADE_ONLY} budget meets a route without a downgrade
   * @throws dev.llmgateway.core.budget.BudgetStoreException if the store failed
   */
  void reserve(Plan plan, GatewayRequest request) {
    boolean downgraded = plan.decision().downgraded();
    if (forced != null && !downgraded) {
      call.refuse(UsageRecord.Refusal.BUDGET);
      throw Refusals.noDowngrade(forced.budget(), forcedBalance, call.requestedModel());
    }
    inputTokens = engine.costs.inputTokensOf(request);
    outputTokens = engine.costs.outputTokens(request);
    long most = -1;
    Deployment unpriced = null;
    for (Deployment d : plan.candidates()) {
      long max = engine.costs.attemptMax(d, inputTokens, outputTokens);
      if (max == Costs.UNPRICED) {
        if (unpriced == null) {
          unpriced = d;
        }
      } else {
        most = Math.max(most, max);
      }
    }
    if (most < 0) {
      call.refuse(UsageRecord.Refusal.BUDGET);
      throw Refusals.unpriced(unpriced);
    }
    if (applied.size() == 1 && !uncapped(applied.get(0), downgraded)) {
      caps = applied.get(0).caps(); // one budget, as a rule: its caps as made
    } else {
      BudgetStore.Cap[] list = new BudgetStore.Cap[applied.size()];
      for (int i = 0; i < list.length; i++) {
        Applied a = applied.get(i);
        list[i] = uncapped(a, downgraded) ? new BudgetStore.Cap(a.counter(), Long.MAX_VALUE)
            : a.cap();
      }
      caps = Arrays.asList(list); // fixed from here on
    }
    Instant now = engine.clock.instant();
    leaseUntil = leaseUntil(now);
    touched = true;
    call.onEnd(this); // first: a reservation whose reply was lost is still settled, by call id
    BudgetBalance refused;
    try {
      refused = engine.store.reserve(call.callId(), caps, most, leaseUntil, now);
    } catch (RuntimeException e) {
      call.refuse(UsageRecord.Refusal.BUDGET);
      throw BudgetEngine.storeFailed("to reserve", e);
    }
    if (refused != null) {
      touched = false; // nothing is held
      Applied by = appliedOf(refused);
      engine.refused(by, refused, now);
      call.refuse(UsageRecord.Refusal.BUDGET);
      throw Refusals.noRoom(by.budget(), refused, most, plan.candidates().get(0), true);
    }
    synchronized (this) {
      reserved = most;
    }
    AttemptGate.add(call, this);
  }

  /** Whether a downgraded call reserves without a cap on {@code a}: a DOWNGRADE_ONLY budget. */
  private static boolean uncapped(Applied a, boolean downgraded) {
    return downgraded && a.budget().atHardLimit() == HardLimitAction.DOWNGRADE_ONLY;
  }

  /**
   * When the reservation ends: the call's deadline, or for a call without one its start plus the
   * budgets' maximum lease; then the margin.
   */
  private Instant leaseUntil(Instant now) {
    long deadline = call.deadlineNanos();
    if (deadline == AttemptContext.NO_DEADLINE) {
      return call.timestamp().plus(engine.budgets.maxLease()).plus(engine.budgets.leaseMargin());
    }
    long left = Math.max(0, deadline - System.nanoTime());
    Duration margin = engine.budgets.leaseMargin();
    if (margin.getSeconds() < 1_000_000) { // about 11 days: its nanoseconds add without overflow
      return now.plusNanos(left + margin.toNanos()); // one instant, not two
    }
    return now.plusNanos(left).plus(margin);
  }

  @Override
  public synchronized @Nullable GatewayException admit(Call c, Deployment deployment) {
    long max = engine.costs.attemptMax(deployment, inputTokens, outputTokens);
    if (max == Costs.UNPRICED) {
      return Refusals.unpriced(deployment);
    }
    if (admittedCount == 0 && call.attemptCount() == 0 && max <= reserved) {
      admitted(deployment, max); // the first attempt: within what was reserved for it
      return null;
    }
    List<Attempt> ended = call.attempts(); // read before the count: a race only over-counts
    int started = call.attemptCount();
    long needed = max;
    int ran = 0;
    Map<Deployment, Integer> endedAt = new HashMap<>();
    for (Attempt a : ended) {
      if (a.outcome() == Attempt.Outcome.SKIPPED) {
        continue;
      }
      ran++;
      needed = add(needed, engine.costs.charged(a));
      endedAt.merge(a.deployment(), 1, Integer::sum);
    }
    int running = started - ran;
    if (running > 0) {
      List<Long> unmatched = new ArrayList<>(admittedCount);
      for (int i = 0; i < admittedCount; i++) {
        Deployment d = i == 0 ? firstAdmitted : moreAdmitted[i - 1];
        Integer n = endedAt.get(d);
        if (n != null && n > 0) {
          endedAt.put(d, n - 1);
        } else {
          unmatched.add(i == 0 ? firstMax : moreMax[i - 1]);
        }
      }
      unmatched.sort(Collections.reverseOrder());
      for (int i = 0; i < running && i < unmatched.size(); i++) {
        needed = add(needed, unmatched.get(i));
      }
    }
    if (needed > reserved) {
      long more = needed - reserved;
      Instant now = engine.clock.instant();
      BudgetBalance refused;
      try {
        refused = engine.store.reserve(call.callId(), caps, more, leaseUntil, now);
      } catch (RuntimeException e) {
        return BudgetEngine.storeFailed("to reserve for another attempt", e);
      }
      if (refused != null) {
        Applied by = appliedOf(refused);
        engine.refused(by, refused, now);
        return Refusals.noRoom(by.budget(), refused, more, deployment, false);
      }
      reserved = needed;
    }
    admitted(deployment, max);
    return null;
  }

  /** Remembers an attempt this gate admitted at {@code deployment}; under this object's monitor. */
  private void admitted(Deployment deployment, long max) {
    if (admittedCount == 0) {
      firstAdmitted = deployment;
      firstMax = max;
    } else {
      int i = admittedCount - 1;
      if (moreAdmitted == null || moreMax == null) {
        moreAdmitted = new Deployment[2];
        moreMax = new long[2];
      } else if (i == moreAdmitted.length) {
        moreAdmitted = Arrays.copyOf(moreAdmitted, i * 2);
        moreMax = Arrays.copyOf(moreMax, i * 2);
      }
      moreAdmitted[i] = deployment;
      moreMax[i] = max;
    }
    admittedCount++;
  }

  @Override
  public void ended(UsageRecord record) {
    if (!touched) {
      return;
    }
    long amount = charge(record);
    Instant now = engine.clock.instant();
    List<BudgetBalance> after = null;
    RuntimeException failure = null;
    for (int i = 0; i < BudgetEngine.SETTLE_TRIES && after == null; i++) {
      try {
        after = engine.store.settle(call.callId(), counters, amount, now);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (after == null) {
      BudgetEngine.LOG.warn("call {}: the budget store failed to settle {} nano-dollars {} times"
          + " ({}); its reservation is left to its lease", call.callId(), amount,
          BudgetEngine.SETTLE_TRIES, failure == null ? "?" : failure.getClass().getSimpleName());
      return;
    }
    engine.settled(applied, after, now);
  }

  /**
   * What the call is charged: its record's cost rounded up to the nano-dollar; when that is unknown,
   * its priced attempts' cost, or under {@code CHARGE_RESERVATION} at least what it reserved.
   */
  private long charge(UsageRecord record) {
    if (record.cost() != null) {
      return Budget.toNanos(record.cost());
    }
    long known = 0;
    for (Attempt a : record.attempts()) {
      known = add(known, engine.costs.charged(a));
    }
    if (engine.costs.policy() == UnknownCost.CHARGE_RESERVATION) {
      synchronized (this) {
        return Math.max(known, reserved);
      }
    }
    return known;
  }

  /** What the store holds for the call now (as far as this call knows). */
  synchronized long reserved() {
    return reserved;
  }

  private Applied appliedOf(BudgetBalance balance) {
    for (Applied a : applied) {
      if (a.counter().equals(balance.counter())) {
        return a;
      }
    }
    return applied.get(0);
  }

  private static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  public String toString() {
    return "CallBudget[" + call.callId() + ", budgets=" + applied.size() + "]";
  }
}
