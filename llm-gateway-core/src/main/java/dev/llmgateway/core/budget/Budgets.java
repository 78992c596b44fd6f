package dev.llmgateway.core.budget;

import dev.llmgateway.Principal;
import dev.llmgateway.core.cost.Price;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A gateway's budgets ({@link Budget}), the {@link BudgetStore} that counts them, and their admin
 * at run time. Give it to {@code GatewayBuilder.budgets(...)}; keep it to change budgets and read
 * where they stand while the gateway runs.
 *
 * <pre>{@code
 * Budgets budgets = Budgets.builder()
 *     .budget(Budget.perId("team-monthly", Scope.TEAM, "100.00"))
 *     .listener(event -> alerts.send(event.status().id(), event.percent()))
 *     .build();
 * Gateway gateway = Gateway.builder()...
 *     .alias("smart", Route.to("openai/gpt-4.1").downgradeTo("cheap"))
 *     .budgets(budgets)
 *     .build();
 * budgets.set(Budget.forId("support", Scope.TEAM, "support", "250.00"));  // seen by the next call
 * BudgetStatus support = budgets.status("support", "", "support");
 * }</pre>
 *
 * <h2>What the gateway does with budgets</h2>
 *
 * <ol>
 *   <li><b>Admission</b>, right after the access step: the budgets that apply to the caller (see
 *       {@link Budget}) are read from the store. One that is spent ({@link HardLimitAction#REFUSE})
 *       refuses the call with a {@link dev.llmgateway.BudgetExceededException} naming the budget,
 *       its scope and the share spent (the usage record says {@code REFUSED} by {@code BUDGET}); one
 *       spent under {@link HardLimitAction#DOWNGRADE_ONLY} sends every call down its downgrade
 *       route. One past its soft threshold sends calls that are not {@link
 *       dev.llmgateway.RequestOptions#critical() critical} down their alias's downgrade route
 *       ({@code Route.downgradeTo}): the call's {@link dev.llmgateway.core.route.Downgrade} reads
 *       e.g. {@code team budget 'team-monthly' at 83%}, and the decision trail shows it. An alias
 *       without a downgrade route is served as asked. The response cache keys downgraded calls
 *       apart, so a downgraded answer never reaches a caller who was not downgraded.
 *   <li><b>Reservation</b>, once the route is planned: the most the call can cost — its estimated
 *       input tokens plus its most output tokens (the request's {@code maxOutputTokens}, else
 *       {@link Builder#defaultMaxOutputTokens(int)}), at the price of its dearest candidate, at
 *       that price's dearest rates (cache writes, reasoning, a long-prompt tier) — is reserved on
 *       every budget of the call at once, or the call is refused naming the budget that had no
 *       room. Before each further attempt (a retry, a failover, a hedge beside a slow first
 *       attempt, a content-filter fallback) the reservation grows when what the ended attempts cost
 *       plus the most the running ones and the new one can cost would pass it; a budget without
 *       that room refuses the attempt, which is skipped (the call fails over or fails). A cache hit
 *       is answered before the plan: it reserves and costs nothing.
 *   <li><b>Settlement</b>, when the call has ended, whatever ended it: the call's {@link
 *       dev.llmgateway.UsageRecord#cost()} — every attempt at its price, a partial stream's and a
 *       cancelled call's tokens included, a failed call's usually zero — is charged (rounded up to
 *       the nano-dollar) and the reservation released, once per call id. So the budgets' spending
 *       is the sum of the usage records' costs. A call whose cost is unknown follows {@link
 *       Builder#unknownCost}. A store that fails to settle is asked twice more at once; then the
 *       failure is logged (logger {@code dev.llmgateway.core.budget}, WARN) and the reservation is
 *       left to its lease.
 * </ol>
 *
 * <p>A reservation is a lease: it ends {@link Builder#leaseMargin(Duration)} (one minute by default)
 * after the call's deadline — for a call without one (a stream, by default), {@link
 * Builder#maxLease(Duration)} (one hour) after it started — and then no longer holds budget, so a
 * process that died mid-call frees what it held. The period a call is charged to is fixed when it
 * is admitted: a call running across midnight at the end of a month is charged to the month it
 * started in.
 *
 * <h2>The worst case</h2>
 *
 * Per budget counter (one id of one budget in one period), with limit {@code L}: the store grants a
 * reservation of {@code a} only while {@code spent + reserved + a <= L}, and a settle adds the
 * call's charge {@code A} to spent and takes its reservation {@code H} (all it reserved, growth
 * included) off reserved.
 *
 * <ul>
 *   <li><b>When every call costs at most what it reserved</b> ({@code A <= H}): spending never
 *       passes the limit. {@code spent + reserved <= L} holds after every grant (by the check), after
 *       every settle (it changes the sum by {@code A - H <= 0}) and after a lease expires (it only
 *       lowers reserved); and spent is part of that sum.
 *   <li><b>When calls cost up to {@code k} times what they reserved</b> ({@code A <= k·H}, k ≥ 1,
 *       e.g. a prompt that tokenizes denser than estimated): let {@code t} be the last grant. Then
 *       {@code spent(t) + reserved(t) <= L}, and only the calls that held reservations at {@code
 *       t} settle after it, for at most {@code k·reserved(t)} in all; so spending ends at most
 *       {@code spent(t) + k·reserved(t)}, and the overspend is at most {@code (k - 1)·reserved(t)
 *       <= (k - 1)·min(L, N·Hmax)}, where {@code N} is the most calls in flight at once (across
 *       every process sharing the store) and {@code Hmax} the largest reservation of one call. For
 *       64 calls in flight that reserve at most $0.05 each and cost at most twice that, the
 *       overspend is at most 64 × $0.05 = $3.20, whatever the limit (and at most the limit).
 * </ul>
 *
 * <p>These hold on these assumptions; what breaks one can overspend by as much as it says:
 *
 * <ul>
 *   <li>a call settles before its lease ends (a call that outlives it — a stream longer than
 *       {@code maxLease}, a process that stalls — is still charged, once, but its reservation no
 *       longer held room: up to that call's cost);
 *   <li>the estimate: input tokens are estimated at about four characters per token and output at
 *       the request's limit; a provider that writes past the limit, or a prompt that tokenizes
 *       denser, costs more than reserved (that is {@code k} above);
 *   <li>{@link HardLimitAction#DOWNGRADE_ONLY} budgets do not cap downgraded calls at all;
 *   <li>a limit lowered at run time below what is spent and reserved lets the calls in flight
 *       spend what they hold;
 *   <li>{@link UnknownCost#CHARGE_NOTHING} does not count unpriced calls;
 *   <li>a settle the store never takes (unreachable after the retries) is not charged.
 * </ul>
 *
 * <p>Thread-safe: admin calls ({@link #set}, {@link #remove}) are serialised and replace the list
 * of budgets in one write, so every call that starts after one returned sees the change; calls
 * already past admission keep the budgets they were admitted under.
 */
public final class Budgets {
  /** The default of {@link Builder#defaultMaxOutputTokens(int)}. */
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4_096;
  /** The default of {@link Builder#leaseMargin(Duration)}. */
  public static final Duration DEFAULT_LEASE_MARGIN = Duration.ofMinutes(1);
  /** The default of {@link Builder#maxLease(Duration)}. */
  public static final Duration DEFAULT_MAX_LEASE = Duration.ofHours(1);
  /** The most budgets one {@code Budgets} holds. */
  public static final int MAX_BUDGETS = 10_000;

  private final BudgetStore store;
  private final @Nullable Clock givenClock;
  private final AtomicReference<@Nullable Clock> gatewayClock = new AtomicReference<>();
  private final BudgetListener listener;
  private final UnknownCost unknownCost;
  private final @Nullable Price unpricedRate;
  private final Duration leaseMargin;
  private final Duration maxLease;
  private final int defaultMaxOutputTokens;
  /** The budgets in the order added; replaced as a whole under this object's monitor. */
  private volatile List<Budget> budgets;

  private Budgets(Builder b) {
    this.store = b.store != null ? b.store : InMemoryBudgetStore.create();
    this.givenClock = b.clock;
    this.listener = b.listener;
    this.unknownCost = b.unknownCost;
    this.unpricedRate = b.unpricedRate;
    this.leaseMargin = b.leaseMargin;
    this.maxLease = b.maxLease;
    this.defaultMaxOutputTokens = b.defaultMaxOutputTokens;
    this.budgets = List.copyOf(b.budgets.values());
  }

  /** A builder: no budgets, an {@link InMemoryBudgetStore}, the gateway's clock, no listener. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds {@code budget}, or replaces the budget of its name; calls that start after this returns
   * count against it. A replaced budget's spending so far carries over when its scope and period
   * stay the same (counters are kept by name, scope, id and period).
   *
   * @param budget the budget
   * @return the budget of that name it replaced, or null
   * @throws IllegalStateException if it would be budget number {@value #MAX_BUDGETS} + 1
   */
  public synchronized @Nullable Budget set(Budget budget) {
    Objects.requireNonNull(budget, "budget");
    List<Budget> next = new ArrayList<>(budgets.size() + 1);
    Budget replaced = null;
    for (Budget b : budgets) {
      if (b.name().equals(budget.name())) {
        replaced = b;
        next.add(budget);
      } else {
        next.add(b);
      }
    }
    if (replaced == null) {
      if (budgets.size() >= MAX_BUDGETS) {
        throw new IllegalStateException("a Budgets holds at most " + MAX_BUDGETS + " budgets");
      }
      next.add(budget);
    }
    budgets = List.copyOf(next);
    return replaced;
  }

  /**
   * Removes the budget named {@code name}: calls that start after this returns no longer count
   * against it (calls in flight still settle on it).
   *
   * @param name the budget's name
   * @return whether there was one
   */
  public synchronized boolean remove(String name) {
    Objects.requireNonNull(name, "name");
    List<Budget> next = new ArrayList<>(budgets);
    boolean removed = next.removeIf(b -> b.name().equals(name));
    if (removed) {
      budgets = List.copyOf(next);
    }
    return removed;
  }

  /** The budgets now, in the order they were added; the same list until the next change. */
  public List<Budget> list() {
    return budgets;
  }

  /** The budget named {@code name}, or null. */
  public @Nullable Budget find(String name) {
    Objects.requireNonNull(name, "name");
    for (Budget b : budgets) {
      if (b.name().equals(name)) {
        return b;
      }
    }
    return null;
  }

  /**
   * Where budget {@code name} stands for {@code id} of {@code tenant} in its current period.
   *
   * @param name the budget's name
   * @param tenant the org id the id belongs to ({@code ""} for callers without one)
   * @param id the org, team, project or key id
   * @return its status (zeros when nothing was counted yet)
   * @throws IllegalArgumentException if there is no such budget, or it applies to another id
   */
  public BudgetStatus status(String name, String tenant, String id) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Budget b = find(name);
    if (b == null) {
      throw new IllegalArgumentException("no budget is named '" + name + "' (budgets: "
          + names() + ")");
    }
    if (b.id() != null && !b.id().equals(id)) {
      throw new IllegalArgumentException("budget '" + name + "' applies to " + b.scope().label()
          + " '" + b.id() + "' only");
    }
    Instant now = clock().instant();
    BudgetCounter counter = b.counter(tenant, id, now);
    return BudgetStatus.of(b, store.balances(List.of(counter), now).get(0));
  }

  /**
   * Where budget {@code name} stands for {@code principal} (its org as the tenant, its id in the
   * budget's scope) in its current period.
   *
   * @param name the budget's name
   * @param principal the caller
   * @return its status
   * @throws IllegalArgumentException if there is no such budget, the principal has no id in its
   *     scope, or it applies to another id
   */
  public BudgetStatus status(String name, Principal principal) {
    Objects.requireNonNull(principal, "principal");
    Budget b = find(name);
    if (b == null) {
      throw new IllegalArgumentException("no budget is named '" + name + "' (budgets: "
          + names() + ")");
    }
    String id = b.scope().idOf(principal);
    if (id == null) {
      throw new IllegalArgumentException("the principal has no " + b.scope().label()
          + " id, so budget '" + name + "' does not apply to it");
    }
    return status(name, BudgetCounter.tenantOf(principal), id);
  }

  /**
   * Every id counted in its budget's current period so far, for every budget: what the store
   * holds, sorted by budget name, tenant and id. Ids nothing was counted for yet are not listed.
   *
   * @return the statuses
   */
  public List<BudgetStatus> statuses() {
    Instant now = clock().instant();
    Map<String, Budget> byName = new HashMap<>();
    Map<Budget, Instant> starts = new HashMap<>();
    for (Budget b : budgets) {
      byName.put(b.name(), b);
      starts.put(b, b.period().start(now, b.zone()));
    }
    List<BudgetStatus> out = new ArrayList<>();
    for (BudgetBalance balance : store.list(now)) {
      BudgetCounter c = balance.counter();
      Budget b = byName.get(c.budget());
      if (b != null && b.scope() == c.scope() && starts.get(b).equals(c.periodStart())
          && (b.id() == null || b.id().equals(c.id()))) {
        out.add(BudgetStatus.of(b, balance));
      }
    }
    out.sort(Comparator.comparing(BudgetStatus::name).thenComparing(BudgetStatus::tenant)
        .thenComparing(BudgetStatus::id));
    return out;
  }

  /** The store that counts these budgets. */
  public BudgetStore store() {
    return store;
  }

  /**
   * The clock budgets are counted on: the builder's; else the clock of the first gateway built
   * with these budgets; else, before any, the system clock in UTC.
   */
  public Clock clock() {
    if (givenClock != null) {
      return givenClock;
    }
    Clock adopted = gatewayClock.get();
    return adopted != null ? adopted : Clock.systemUTC();
  }

  /**
   * Takes {@code clock} as these budgets' clock when their builder was given none and no gateway's
   * clock was taken before. Called by {@code GatewayBuilder.build()} with the gateway's clock; you
   * need not call it.
   *
   * @param clock a gateway's clock
   * @throws IllegalStateException if the budgets count on another gateway's clock already (give
   *     both gateways the same clock, or give {@link Builder#clock(Clock)} one)
   */
  public void useGatewayClock(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    if (givenClock != null) {
      return;
    }
    if (!gatewayClock.compareAndSet(null, clock)) {
      Clock taken = gatewayClock.get();
      if (!clock.equals(taken)) {
        throw new IllegalStateException("these budgets count on the clock of the gateway built"
            + " with them first (" + taken + "), not on " + clock + ": give the gateways one clock,"
            + " or give Budgets.builder().clock(...) one");
      }
    }
  }

  /** Told when a budget reaches 50 %, 80 % or 100 %. */
  public BudgetListener listener() {
    return listener;
  }

  /** What happens with deployments that have no price. */
  public UnknownCost unknownCost() {
    return unknownCost;
  }

  /** The rate unpriced deployments reserve at under {@link UnknownCost#CHARGE_RESERVATION}. */
  public @Nullable Price unpricedRate() {
    return unpricedRate;
  }

  /** How long after a call's deadline its reservation ends. */
  public Duration leaseMargin() {
    return leaseMargin;
  }

  /** How long the reservation of a call without a deadline lasts, before the margin. */
  public Duration maxLease() {
    return maxLease;
  }

  /** The output tokens reserved for a request that sets no {@code maxOutputTokens}. */
  public int defaultMaxOutputTokens() {
    return defaultMaxOutputTokens;
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    for (Budget b : budgets) {
      names.add(b.name());
    }
    return names;
  }

  @Override
  public String toString() {
    return "Budgets[" + names() + ", store=" + store.getClass().getSimpleName() + ", unknownCost="
        + unknownCost + "]";
  }

  /** Settings of {@link Budgets}. Not thread-safe; reusable: {@link #build()} copies. */
  public static final class Builder {
    private final Map<String, Budget> budgets = new LinkedHashMap<>();
    private final List<String> duplicates = new ArrayList<>();
    private @Nullable BudgetStore store;
    private @Nullable Clock clock;
    private BudgetListener listener = BudgetListener.NONE;
    private UnknownCost unknownCost = UnknownCost.REFUSE_UNPRICED;
    private @Nullable Price unpricedRate;
    private Duration leaseMargin = DEFAULT_LEASE_MARGIN;
    private Duration maxLease = DEFAULT_MAX_LEASE;
    private int defaultMaxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS;

    private Builder() {}

    /**
     * Adds a budget; two of one name are refused by {@link #build()}.
     *
     * @param budget the budget
     * @return this builder
     */
    public Builder budget(Budget budget) {
      Objects.requireNonNull(budget, "budget");
      if (budgets.putIfAbsent(budget.name(), budget) != null) {
        duplicates.add(budget.name());
      }
      return this;
    }

    /**
     * Where budgets are counted; an {@link InMemoryBudgetStore} by default.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(BudgetStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The clock periods, leases and admin reads are timed by; by default the clock of the gateway
     * built with these budgets ({@code GatewayBuilder.clock}).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Told when a budget reaches 50 %, 80 % or 100 % (see {@link BudgetListener} for the thread).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(BudgetListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * What happens with deployments that have no price: {@link UnknownCost#REFUSE_UNPRICED} (the
     * default) or {@link UnknownCost#CHARGE_NOTHING}. {@link UnknownCost#CHARGE_RESERVATION} needs
     * a rate: {@link #unknownCost(UnknownCost, Price)}.
     *
     * @param policy the policy
     * @return this builder
     * @throws IllegalArgumentException if the policy is {@code CHARGE_RESERVATION}
     */
    public Builder unknownCost(UnknownCost policy) {
      Objects.requireNonNull(policy, "policy");
      if (policy == UnknownCost.CHARGE_RESERVATION) {
        throw new IllegalArgumentException("CHARGE_RESERVATION reserves unpriced deployments at a"
            + " rate: use unknownCost(UnknownCost.CHARGE_RESERVATION, Price.perMillion(...))");
      }
      this.unknownCost = policy;
      this.unpricedRate = null;
      return this;
    }

    /**
     * {@link UnknownCost#CHARGE_RESERVATION}: unpriced deployments reserve at {@code rate}, and a
     * call whose cost is unknown is charged all it reserved.
     *
     * @param policy {@code CHARGE_RESERVATION}
     * @param rate the price to reserve at, e.g. your dearest model's
     * @return this builder
     * @throws IllegalArgumentException if the policy is another
     */
    public Builder unknownCost(UnknownCost policy, Price rate) {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(rate, "rate");
      if (policy != UnknownCost.CHARGE_RESERVATION) {
        throw new IllegalArgumentException("a rate goes with CHARGE_RESERVATION only, was "
            + policy);
      }
      this.unknownCost = policy;
      this.unpricedRate = rate;
      return this;
    }

    /**
     * How long after a call's deadline its reservation ends (covers the time between the deadline
     * and the call's settlement); one minute by default.
     *
     * @param margin positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder leaseMargin(Duration margin) {
      this.leaseMargin = positive("leaseMargin", margin);
      return this;
    }

    /**
     * How long the reservation of a call without a deadline (a stream, unless the gateway has a
     * total timeout) lasts before the margin; one hour by default. A call that runs longer is
     * still charged what it cost, but no longer holds room (see the worst case).
     *
     * @param lease positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxLease(Duration lease) {
      this.maxLease = positive("maxLease", lease);
      return this;
    }

    /**
     * The output tokens reserved for a request that sets no {@code maxOutputTokens}: 4,096 by
     * default — the common default output limit of chat models and SDKs (Anthropic's API requires
     * a limit; many clients send 4,096), so most answers fit. A model that writes more than the
     * limit it was given (or than this, when given none) costs more than was reserved.
     *
     * @param tokens at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder defaultMaxOutputTokens(int tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("defaultMaxOutputTokens must be at least 1, was "
            + tokens);
      }
      this.defaultMaxOutputTokens = tokens;
      return this;
    }

    /**
     * The budgets.
     *
     * @return the budgets
     * @throws IllegalStateException if two budgets have one name, or there are more than {@value
     *     Budgets#MAX_BUDGETS}
     */
    public Budgets build() {
      if (!duplicates.isEmpty()) {
        throw new IllegalStateException("two budgets are named '" + duplicates.get(0)
            + "': give each a unique name");
      }
      if (budgets.size() > MAX_BUDGETS) {
        throw new IllegalStateException("a Budgets holds at most " + MAX_BUDGETS + " budgets, was "
            + budgets.size());
      }
      return new Budgets(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
