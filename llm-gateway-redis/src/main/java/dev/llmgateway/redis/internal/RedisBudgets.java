package dev.llmgateway.redis.internal;

import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;
import dev.llmgateway.core.limit.Scope;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The budgets' side of Redis: balances, reserve, settle, marks and the list of counters, each (but
 * the list) one script per tenant. Failures are thrown as Lettuce reports them; the store decides
 * what they mean. Arguments are checked by the store. Thread-safe.
 */
public final class RedisBudgets {
  /** The shortest life of a counter's keys after a write: an hour. */
  private static final long MIN_TTL_MILLIS = 3_600_000L;
  /** The longest: about ten years (a counter of a far period, or of a clock far behind). */
  private static final long MAX_TTL_MILLIS = 10L * 366 * 86_400_000L;

  private final ScriptRunner scripts;
  private final Keys keys;
  private final boolean serverTime;
  private final long settledMemoryMillis;
  private final long keepEndedMillis;

  /**
   * @param settledMemory how long a settled call id is remembered at least
   * @param keepEndedPeriods how long a counter outlives its period
   */
  public RedisBudgets(ScriptRunner scripts, Keys keys, boolean serverTime, Duration settledMemory,
      Duration keepEndedPeriods) {
    this.scripts = scripts;
    this.keys = keys;
    this.serverTime = serverTime;
    this.settledMemoryMillis = settledMemory.toMillis();
    this.keepEndedMillis = keepEndedPeriods.toMillis();
  }

  /** The counters' balances, one script per tenant, sent together. */
  public List<BudgetBalance> balances(List<BudgetCounter> counters, Instant now) {
    List<int[]> groups = groups(counters);
    long deadline = scripts.deadline();
    String[] t = time(now);
    List<ScriptRunner.Sent<List<Object>>> sent = new ArrayList<>(groups.size());
    for (int[] group : groups) {
      String[] k = new String[3 * group.length];
      for (int j = 0; j < group.length; j++) {
        counterKeys(counters.get(group[j]), k, 3 * j);
      }
      sent.add(scripts.send(Scripts.BUDGET_BALANCES, ScriptOutputType.MULTI, k, t));
    }
    BudgetBalance[] out = new BudgetBalance[counters.size()];
    for (int g = 0; g < groups.size(); g++) {
      List<Object> reply = scripts.await(sent.get(g), deadline);
      int[] group = groups.get(g);
      for (int j = 0; j < group.length; j++) {
        out[group[j]] = balance(counters.get(group[j]), reply, 3 * j);
      }
    }
    return List.of(out);
  }

  /**
   * Reserves {@code amount} on every counter of {@code caps} (one tenant), or none: null when
   * reserved, else the balance of a counter it did not fit.
   */
  public @Nullable BudgetBalance reserve(String callId, List<BudgetStore.Cap> caps, long amount,
      Instant leaseUntil, Instant now) {
    String tenant = caps.get(0).counter().tenant();
    String[] k = new String[1 + 3 * caps.size()];
    k[0] = keys.settled(tenant, callId);
    String[] args = new String[5 + 8 * caps.size()];
    String[] t = time(now);
    args[0] = t[0];
    args[1] = t[1];
    args[2] = callId;
    args[3] = Long.toString(amount);
    args[4] = Long.toString(leaseUntil.toEpochMilli());
    for (int i = 0; i < caps.size(); i++) {
      BudgetStore.Cap cap = caps.get(i);
      counterKeys(cap.counter(), k, 1 + 3 * i);
      int a = 5 + 8 * i;
      args[a] = cap.limitNanos() == Long.MAX_VALUE ? "-1" : Long.toString(cap.limitNanos());
      args[a + 1] = Long.toString(ttl(cap.counter(), now));
      describe(cap.counter(), args, a + 2);
    }
    List<Object> reply = scripts.run(Scripts.BUDGET_RESERVE, ScriptOutputType.MULTI, k, args);
    if (RedisLimits.number(reply, 0) == 0) {
      return null;
    }
    BudgetCounter refused = caps.get((int) RedisLimits.number(reply, 1)).counter();
    return balance(refused, reply, 2);
  }

  /** What a settle answered: whether it was a repeat, and the balances afterwards. */
  public record Settled(boolean repeat, List<BudgetBalance> balances) {}

  /**
   * Ends call {@code callId} on {@code counters}, once per tenant: one script per tenant, sent
   * together.
   */
  public Settled settle(String callId, List<BudgetCounter> counters, long actual, Instant now) {
    List<int[]> groups = groups(counters);
    long deadline = scripts.deadline();
    String[] t = time(now);
    List<ScriptRunner.Sent<List<Object>>> sent = new ArrayList<>(groups.size());
    for (int[] group : groups) {
      String tenant = counters.get(group[0]).tenant();
      String[] k = new String[1 + 3 * group.length];
      k[0] = keys.settled(tenant, callId);
      String[] args = new String[5 + 7 * group.length];
      args[0] = t[0];
      args[1] = t[1];
      args[2] = callId;
      args[3] = Long.toString(actual);
      args[4] = Long.toString(Math.max(1, settledMemoryMillis));
      for (int j = 0; j < group.length; j++) {
        BudgetCounter c = counters.get(group[j]);
        counterKeys(c, k, 1 + 3 * j);
        int a = 5 + 7 * j;
        args[a] = Long.toString(ttl(c, now));
        describe(c, args, a + 1);
      }
      sent.add(scripts.send(Scripts.BUDGET_SETTLE, ScriptOutputType.MULTI, k, args));
    }
    BudgetBalance[] out = new BudgetBalance[counters.size()];
    boolean repeat = true;
    for (int g = 0; g < groups.size(); g++) {
      List<Object> reply = scripts.await(sent.get(g), deadline);
      repeat &= RedisLimits.number(reply, 0) == 1;
      int[] group = groups.get(g);
      for (int j = 0; j < group.length; j++) {
        out[group[j]] = balance(counters.get(group[j]), reply, 1 + 3 * j);
      }
    }
    return new Settled(repeat && !groups.isEmpty(), List.of(out));
  }

  /** Sets {@code bits} on the counter; returns those that were not set before. */
  public int mark(BudgetCounter counter, int bits, Instant now) {
    String[] args = new String[10];
    String[] t = time(now);
    args[0] = t[0];
    args[1] = t[1];
    args[2] = Integer.toString(bits);
    args[3] = Long.toString(ttl(counter, now));
    describe(counter, args, 4);
    Long newly = scripts.run(Scripts.BUDGET_MARK, ScriptOutputType.INTEGER,
        new String[] {keys.budget(counter)}, args);
    return newly.intValue();
  }

  /**
   * Every budget counter under the prefix, on every node: {@code SCAN} for their keys, their
   * descriptive fields read back, then their balances. Each command is bounded by the timeout.
   */
  public List<BudgetBalance> list(Instant now) {
    List<BudgetCounter> found = new ArrayList<>();
    ScanArgs match = ScanArgs.Builder.matches(keys.budgetPattern()).limit(1_000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = ScriptRunner.await(scripts.commands().scan(cursor, match),
          scripts.deadline());
      List<RedisFuture<List<KeyValue<String, String>>>> reads = new ArrayList<>();
      for (String key : page.getKeys()) {
        reads.add(scripts.commands().hmget(key, "budget", "scope", "tenant", "id", "ps", "pe"));
      }
      long deadline = scripts.deadline();
      for (RedisFuture<List<KeyValue<String, String>>> read : reads) {
        BudgetCounter c = counterOf(ScriptRunner.await(read, deadline));
        if (c != null) {
          found.add(c);
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    List<BudgetBalance> out = new ArrayList<>(found.size());
    for (int i = 0; i < found.size(); i += 64) {
      out.addAll(balances(found.subList(i, Math.min(found.size(), i + 64)), now));
    }
    return out;
  }

  private static @Nullable BudgetCounter counterOf(List<KeyValue<String, String>> fields) {
    String[] v = new String[6];
    for (int i = 0; i < 6; i++) {
      KeyValue<String, String> kv = fields.get(i);
      if (!kv.hasValue()) {
        return null; // not a counter (a key that matched the pattern by its id), or expiring
      }
      v[i] = kv.getValue();
    }
    Scope scope = null;
    for (Scope s : Scope.values()) {
      if (s.label().equals(v[1])) {
        scope = s;
      }
    }
    try {
      return scope == null ? null : new BudgetCounter(v[0], scope, v[2], v[3],
          Instant.ofEpochMilli(Long.parseLong(v[4])), Instant.ofEpochMilli(Long.parseLong(v[5])));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void counterKeys(BudgetCounter c, String[] k, int at) {
    k[at] = keys.budget(c);
    k[at + 1] = keys.holds(c);
    k[at + 2] = keys.heldAmounts(c);
  }

  private static void describe(BudgetCounter c, String[] args, int at) {
    args[at] = c.budget();
    args[at + 1] = c.scope().label();
    args[at + 2] = c.tenant();
    args[at + 3] = c.scope() == Scope.USER ? Keys.id(c.scope(), c.id()) : c.id();
    args[at + 4] = Long.toString(c.periodStart().toEpochMilli());
    args[at + 5] = Long.toString(c.periodEnd().toEpochMilli());
  }

  /**
   * How long a counter's keys live from {@code now}: until its period's end plus the retention,
   * by the gateway's clock; at least an hour (a late settle of a counter past its retention).
   */
  private long ttl(BudgetCounter c, Instant now) {
    long end = c.periodEnd().toEpochMilli();
    long expireAt = end > Long.MAX_VALUE - keepEndedMillis ? Long.MAX_VALUE : end + keepEndedMillis;
    return Math.max(MIN_TTL_MILLIS, Math.min(MAX_TTL_MILLIS, expireAt - now.toEpochMilli()));
  }

  private String[] time(Instant now) {
    return new String[] {Long.toString(Math.max(0, now.toEpochMilli())), serverTime ? "1" : "0"};
  }

  private static BudgetBalance balance(BudgetCounter counter, List<Object> reply, int at) {
    return new BudgetBalance(counter, Math.max(0, RedisLimits.number(reply, at)),
        Math.max(0, RedisLimits.number(reply, at + 1)), (int) RedisLimits.number(reply, at + 2));
  }

  /** The counters' indices grouped by tenant, in order of first appearance. */
  static List<int[]> groups(List<BudgetCounter> counters) {
    Map<String, List<Integer>> byTenant = new LinkedHashMap<>();
    for (int i = 0; i < counters.size(); i++) {
      byTenant.computeIfAbsent(counters.get(i).tenant(), t -> new ArrayList<>(4)).add(i);
    }
    List<int[]> out = new ArrayList<>(byTenant.size());
    for (List<Integer> indices : byTenant.values()) {
      out.add(indices.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }
}
