package dev.llmgateway.redis;

import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;
import dev.llmgateway.core.budget.BudgetStoreException;
import dev.llmgateway.core.budget.InMemoryBudgetStore;
import dev.llmgateway.redis.internal.Availability;
import dev.llmgateway.redis.internal.Reconciler;
import dev.llmgateway.redis.internal.RedisBudgets;
import io.lettuce.core.RedisException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BudgetStore} on Redis, shared by every JVM that uses the same Redis and key prefix: made
 * by {@link RedisStores}, given to {@code Budgets.builder().store(...)}.
 *
 * <p><b>Counting.</b> Per counter a hash (spent, reserved, marks, and the counter's fields so that
 * {@link #list} can read it back), a sorted set of the calls holding a reservation by when their
 * leases end, and a hash of what each holds; per settled call a mark that lives at least {@link
 * RedisStores.Builder#settledIdMemory} (longer while its lease would have lasted). Each operation
 * is one Lua script over the keys of one tenant (all of one call's counters share the tenant's hash
 * tag), atomic: {@link #reserve} frees expired leases, then adds the amount to every counter or to
 * none; {@link #settle} adds the cost to every counter's spent figure and takes the call's holds
 * off, once per call id (a repeat changes nothing); {@link #balances} and {@link #mark} likewise.
 * Money is integer nano-dollars, added by Redis ({@code HINCRBY}); caps and amounts must be below
 * 2<sup>53</sup> ({@link #MAX_EXACT_NANOS}, about $9 million), where Lua's numbers compare
 * exactly. Counters' keys expire {@link RedisStores.Builder#keepEndedPeriods} after their period.
 *
 * <p><b>While Redis fails</b> (see {@link RedisStores}): failing closed, {@link #balances} and
 * {@link #reserve} throw a {@link BudgetStoreException} (the gateway refuses the call, refused by
 * {@code BUDGET}) and {@link #mark} too (the threshold is not announced); failing open they count
 * in a local {@link InMemoryBudgetStore}: balances read as last read from Redis plus what was spent
 * locally since, and a reservation must fit each counter's room as last read (its cap less what was
 * spent and reserved; the whole cap when never read) divided by the expected replicas. Either way
 * {@link #settle} never throws for Redis: a settlement it did not take is kept (the local store
 * charged it, failing open) and written to Redis when it answers, by call id, so each call is
 * charged there once. {@link #list} throws a {@link BudgetStoreException} in both modes.
 *
 * <p>Thread-safe.
 */
public final class RedisBudgetStore implements BudgetStore {
  /** The largest cap and amount the store compares exactly: 2<sup>53</sup> - 1 nano-dollars. */
  public static final long MAX_EXACT_NANOS = (1L << 53) - 1;
  /** The most counters one call may have. */
  static final int MAX_COUNTERS_PER_CALL = 16;
  /** The most counters whose last balance is remembered for failing open. */
  private static final int MAX_KNOWN = 10_000;

  private final RedisStores stores;
  private final RedisBudgets redis;
  private final boolean failOpen;
  private final int replicas;
  private volatile InMemoryBudgetStore local = InMemoryBudgetStore.create();
  private final Set<String> localHolds = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<BudgetCounter, Known> known = new ConcurrentHashMap<>();
  private volatile boolean localUsed;

  /** A counter's balance as last read from Redis. */
  private record Known(long spent, long reserved, int marks) {}

  RedisBudgetStore(RedisStores stores, RedisBudgets redis) {
    this.stores = stores;
    this.redis = redis;
    this.failOpen = stores.policy().mode() == FailurePolicy.Mode.FAIL_OPEN;
    this.replicas = stores.policy().expectedReplicas();
  }

  /**
   * The counters' balances, from Redis (one script per tenant, sent together).
   *
   * @throws BudgetStoreException if Redis failed and the stores fail closed
   */
  @Override
  public List<BudgetBalance> balances(List<BudgetCounter> counters, Instant now) {
    Objects.requireNonNull(now, "now");
    for (BudgetCounter c : counters) {
      Objects.requireNonNull(c, "counter");
    }
    if (counters.isEmpty()) {
      return List.of();
    }
    Availability availability = stores.availability();
    RedisException failure = null;
    if (availability.shouldTry()) {
      try {
        List<BudgetBalance> balances = redis.balances(counters, now);
        remember(balances);
        stores.succeeded();
        return balances;
      } catch (RedisException e) {
        availability.failed(e);
        failure = e;
      }
    }
    refuseUnlessOpen(failure, "to read the call's budgets");
    availability.fellBack();
    return localBalances(counters, now);
  }

  /**
   * Reserves in Redis, on every counter or none.
   *
   * @throws BudgetStoreException if Redis failed and the stores fail closed, or a cap or the
   *     amount is above {@link #MAX_EXACT_NANOS}
   * @throws IllegalArgumentException if the caps are empty, more than 16, of several tenants, or
   *     the amount is negative
   */
  @Override
  public @Nullable BudgetBalance reserve(String callId, List<Cap> caps, long amountNanos,
      Instant leaseUntil, Instant now) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Objects.requireNonNull(now, "now");
    checkCaps(caps);
    if (amountNanos < 0) {
      throw new IllegalArgumentException("a reservation is at least 0, was " + amountNanos);
    }
    if (amountNanos > MAX_EXACT_NANOS) {
      throw new BudgetStoreException("a reservation of $" + Budget.toDollars(amountNanos)
          .toPlainString() + " is above what the Redis budget store counts exactly ($"
          + Budget.toDollars(MAX_EXACT_NANOS).toPlainString() + ")", null);
    }
    Availability availability = stores.availability();
    RedisException failure = null;
    if (availability.shouldTry()) {
      try {
        BudgetBalance refused = redis.reserve(callId, caps, amountNanos, leaseUntil, now);
        if (refused != null) {
          remember(List.of(refused));
        }
        stores.succeeded();
        return refused;
      } catch (RedisException e) {
        availability.failed(e);
        failure = e;
      }
    }
    refuseUnlessOpen(failure, "to reserve for the call");
    availability.fellBack();
    localUsed = true;
    List<Cap> scaled = new ArrayList<>(caps.size());
    for (Cap cap : caps) {
      scaled.add(scaled(cap));
    }
    InMemoryBudgetStore fallback = local;
    BudgetBalance refused = fallback.reserve(callId, scaled, amountNanos, leaseUntil, now);
    if (refused == null) {
      localHolds.add(callId);
      return null;
    }
    return merged(refused);
  }

  /**
   * Settles in Redis, once per call id; never throws for Redis (what it did not take is kept and
   * written when it answers).
   *
   * @throws IllegalArgumentException if the cost is negative or there are more than 16 counters
   * @throws BudgetStoreException if the cost is above {@link #MAX_EXACT_NANOS}
   */
  @Override
  public List<BudgetBalance> settle(String callId, List<BudgetCounter> counters, long actualNanos,
      Instant now) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(now, "now");
    if (actualNanos < 0) {
      throw new IllegalArgumentException("a cost is at least 0, was " + actualNanos);
    }
    if (actualNanos > MAX_EXACT_NANOS) {
      throw new BudgetStoreException("a cost of $" + Budget.toDollars(actualNanos).toPlainString()
          + " is above what the Redis budget store counts exactly", null);
    }
    if (counters.size() > MAX_COUNTERS_PER_CALL) {
      throw new IllegalArgumentException("a call has at most " + MAX_COUNTERS_PER_CALL
          + " counters, was " + counters.size());
    }
    for (BudgetCounter c : counters) {
      Objects.requireNonNull(c, "counter");
    }
    if (counters.isEmpty()) {
      return List.of();
    }
    boolean heldLocally = localUsed && localHolds.remove(callId);
    Availability availability = stores.availability();
    if (availability.shouldTry()) {
      try {
        RedisBudgets.Settled settled = redis.settle(callId, counters, actualNanos, now);
        remember(settled.balances());
        if (heldLocally) {
          local.release(callId, counters, now);
        }
        stores.succeeded();
        return settled.balances();
      } catch (RedisException e) {
        availability.failed(e);
      }
    }
    if (failOpen) {
      localUsed = true;
      local.settle(callId, counters, actualNanos, now); // charged here too, and frees a local hold
    }
    stores.reconciler().add(new SettleReplay(callId, List.copyOf(counters), actualNanos, now));
    return failOpen ? localBalances(counters, now) : knownBalances(counters);
  }

  /**
   * Sets marks in Redis; returns those not set before.
   *
   * @throws BudgetStoreException if Redis failed and the stores fail closed
   */
  @Override
  public int mark(BudgetCounter counter, int bits, Instant now) {
    Objects.requireNonNull(counter, "counter");
    Objects.requireNonNull(now, "now");
    Availability availability = stores.availability();
    RedisException failure = null;
    if (availability.shouldTry()) {
      try {
        int newly = redis.mark(counter, bits, now);
        if (failOpen) {
          Known k = known.get(counter);
          if (k != null) {
            known.put(counter, new Known(k.spent, k.reserved, k.marks | bits));
          }
        }
        stores.succeeded();
        return newly;
      } catch (RedisException e) {
        availability.failed(e);
        failure = e;
      }
    }
    refuseUnlessOpen(failure, "to mark a threshold");
    Known k = known.get(counter);
    int newly = local.mark(counter, bits & ~(k == null ? 0 : k.marks), now);
    stores.reconciler().add(new MarkReplay(counter, bits, now));
    return newly;
  }

  /**
   * Every budget counter under the prefix on every node ({@code SCAN}: O(keys), for reports).
   *
   * @throws BudgetStoreException if Redis failed (whatever the policy)
   */
  @Override
  public List<BudgetBalance> list(Instant now) {
    Objects.requireNonNull(now, "now");
    try {
      List<BudgetBalance> all = redis.list(now);
      stores.succeeded();
      return all;
    } catch (RedisException e) {
      stores.availability().failed(e);
      throw new BudgetStoreException("Redis failed (" + Availability.describe(e)
          + ") listing the budgets", e);
    }
  }

  /** Every write of the outage reached Redis: the local counts start afresh for the next one. */
  void outageReconciled() {
    if (localUsed) {
      localUsed = false;
      local = InMemoryBudgetStore.create();
      localHolds.clear();
    }
  }

  private void refuseUnlessOpen(@Nullable RedisException failure, String doing) {
    if (!failOpen) {
      stores.availability().refused();
      throw new BudgetStoreException((failure == null ? "Redis is failing"
          : "Redis failed (" + Availability.describe(failure) + ")") + " " + doing
          + "; the call was not sent: the budget store fails closed", failure);
    }
  }

  private void checkCaps(List<Cap> caps) {
    Objects.requireNonNull(caps, "caps");
    if (caps.isEmpty() || caps.size() > MAX_COUNTERS_PER_CALL) {
      throw new IllegalArgumentException("a reservation spans 1 to " + MAX_COUNTERS_PER_CALL
          + " counters, was " + caps.size());
    }
    String tenant = caps.get(0).counter().tenant();
    for (Cap cap : caps) {
      if (!cap.counter().tenant().equals(tenant)) {
        throw new IllegalArgumentException("a reservation's counters are of one tenant, were '"
            + tenant + "' and '" + cap.counter().tenant() + "'");
      }
      long limit = cap.limitNanos();
      if (limit != Long.MAX_VALUE && limit > MAX_EXACT_NANOS) {
        throw new BudgetStoreException("budget '" + cap.counter().budget() + "' has a limit of $"
            + Budget.toDollars(limit).toPlainString() + ", above the $"
            + Budget.toDollars(MAX_EXACT_NANOS).toPlainString() + " the Redis budget store"
            + " compares exactly (2^53 - 1 nano-dollars): lower the limit", null);
      }
    }
  }

  /** {@code cap} for this JVM while failing open: its room as last read, per replica. */
  private Cap scaled(Cap cap) {
    if (cap.limitNanos() == Long.MAX_VALUE) {
      return cap;
    }
    Known k = known.get(cap.counter());
    long room = k == null ? cap.limitNanos()
        : Math.max(0, cap.limitNanos() - k.spent - k.reserved);
    return new Cap(cap.counter(), room / replicas);
  }

  private void remember(List<BudgetBalance> balances) {
    if (!failOpen) {
      return;
    }
    if (known.size() >= MAX_KNOWN) {
      known.clear();
    }
    for (BudgetBalance b : balances) {
      known.put(b.counter(), new Known(b.spentNanos(), b.reservedNanos(), b.marks()));
    }
  }

  /** The local store's balances on top of what was last read from Redis. */
  private List<BudgetBalance> localBalances(List<BudgetCounter> counters, Instant now) {
    List<BudgetBalance> mine = local.balances(counters, now);
    List<BudgetBalance> out = new ArrayList<>(mine.size());
    for (BudgetBalance b : mine) {
      out.add(merged(b));
    }
    return out;
  }

  private BudgetBalance merged(BudgetBalance mine) {
    Known k = known.get(mine.counter());
    if (k == null) {
      return mine;
    }
    return new BudgetBalance(mine.counter(), add(k.spent, mine.spentNanos()),
        mine.reservedNanos(), k.marks | mine.marks());
  }

  private List<BudgetBalance> knownBalances(List<BudgetCounter> counters) {
    List<BudgetBalance> out = new ArrayList<>(counters.size());
    for (BudgetCounter c : counters) {
      Known k = known.get(c);
      out.add(k == null ? BudgetBalance.empty(c) : new BudgetBalance(c, k.spent, k.reserved,
          k.marks));
    }
    return out;
  }

  private static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /** A settlement to write when Redis answers: by call id, so it is charged there once. */
  private final class SettleReplay implements Reconciler.Item {
    private final String callId;
    private final List<BudgetCounter> counters;
    private final long actual;
    private final Instant now;

    SettleReplay(String callId, List<BudgetCounter> counters, long actual, Instant now) {
      this.callId = callId;
      this.counters = counters;
      this.actual = actual;
      this.now = now;
    }

    @Override
    public String key() {
      return "budget-settle:" + callId;
    }

    @Override
    public void replay() {
      remember(redis.settle(callId, counters, actual, now).balances());
    }

    @Override
    public boolean idempotent() {
      return true;
    }
  }

  /** Marks to set when Redis answers (setting bits twice is harmless). */
  private final class MarkReplay implements Reconciler.Item {
    private final BudgetCounter counter;
    private final int bits;
    private final Instant now;

    MarkReplay(BudgetCounter counter, int bits, Instant now) {
      this.counter = counter;
      this.bits = bits;
      this.now = now;
    }

    @Override
    public @Nullable String key() {
      return null;
    }

    @Override
    public void replay() {
      redis.mark(counter, bits, now);
    }

    @Override
    public boolean idempotent() {
      return true;
    }
  }

  @Override
  public String toString() {
    return "RedisBudgetStore[" + stores.policy() + "]";
  }
}
