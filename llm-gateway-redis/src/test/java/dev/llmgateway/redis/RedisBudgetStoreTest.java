package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;
import dev.llmgateway.core.budget.BudgetStore.Cap;
import dev.llmgateway.core.budget.BudgetStoreException;
import dev.llmgateway.core.budget.InMemoryBudgetStore;
import dev.llmgateway.core.limit.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisBudgetStore} against a real {@code redis-server}, as {@code BudgetStore}'s javadoc
 * states: the same answers as the in-memory reference store for seeded random sequences of
 * reservations, settlements, releases, reads and marks with leases expiring on a moving clock;
 * reservations all or nothing; a settle whose reply was lost (Redis paused after the script was
 * sent) charged once; a settle after its lease ended charged once; marks set once; money exact up
 * to 2<sup>53</sup> - 1 nano-dollars and refused above; keys that expire after their period, a
 * settled call's mark that outlives its lease; every counter listed back from Redis.
 */
@Timeout(60)
class RedisBudgetStoreTest {
  private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");
  private static LocalRedis redis;
  private static Stores.Raw raw;

  @BeforeAll
  static void start() throws Exception {
    redis = LocalRedis.start();
    raw = new Stores.Raw(redis);
  }

  @AfterAll
  static void stop() throws Exception {
    if (raw != null) {
      raw.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static BudgetCounter counter(String budget, Scope scope, String tenant, String id) {
    return new BudgetCounter(budget, scope, tenant, id, START, END);
  }

  @Test
  void answersAsTheInMemoryStoreDoesForRandomSequences() {
    for (long seed = 1; seed <= 4; seed++) {
      try (RedisStores stores = Stores.on(redis).build()) {
        compare(seed, stores.budgetStore(), InMemoryBudgetStore.create());
      }
    }
  }

  /**
   * One seeded sequence on both stores: calls of tenant {@code acme} (a team and an org counter)
   * and of no tenant (a key counter) reserve, reserve more, settle, settle again, release; reads
   * and marks in between; the clock moves 0 to 400 ms a step, so leases of 0.1 to 3 s end. Every
   * answer must be equal.
   */
  private static void compare(long seed, BudgetStore store, BudgetStore reference) {
    Random rng = new Random(seed);
    Instant now = START.plusSeconds(3_600 + rng.nextInt(3_600));
    List<List<Cap>> shapes = List.of(
        List.of(new Cap(counter("a-team", Scope.TEAM, "acme", "search"), 1_000_000),
            new Cap(counter("b-org", Scope.ORG, "acme", "acme"), 2_500_000)),
        List.of(new Cap(counter("c-key", Scope.KEY, "", "k1"), 700_000)));
    Map<String, List<Cap>> inFlight = new HashMap<>();
    Map<String, List<Cap>> settled = new HashMap<>();
    List<String> settledIds = new ArrayList<>();
    int refusals = 0;
    for (int step = 0; step < 300; step++) {
      now = now.plusMillis(rng.nextInt(400));
      String where = "seed " + seed + ", step " + step;
      int op = rng.nextInt(10);
      if (op < 4 || inFlight.isEmpty()) {
        String callId = inFlight.isEmpty() || rng.nextInt(3) > 0 ? "call-" + step
            : new ArrayList<>(inFlight.keySet()).get(rng.nextInt(inFlight.size()));
        List<Cap> caps = inFlight.getOrDefault(callId, shapes.get(rng.nextInt(2)));
        long amount = rng.nextInt(300_000);
        Instant lease = now.plusMillis(100 + rng.nextInt(2_900));
        BudgetBalance got = store.reserve(callId, caps, amount, lease, now);
        BudgetBalance expected = reference.reserve(callId, caps, amount, lease, now);
        assertThat(got).as(where).isEqualTo(expected);
        if (expected == null) {
          inFlight.put(callId, caps);
        } else {
          refusals++;
        }
      } else if (op < 7) {
        String callId = rng.nextInt(6) == 0 && !settledIds.isEmpty()
            ? settledIds.get(rng.nextInt(settledIds.size())) // a repeat
            : new ArrayList<>(inFlight.keySet()).get(rng.nextInt(inFlight.size()));
        List<Cap> caps = inFlight.containsKey(callId) ? inFlight.remove(callId)
            : settled.get(callId);
        List<BudgetCounter> counters = counters(caps);
        long cost = rng.nextInt(4) == 0 ? 0 : rng.nextInt(400_000);
        assertThat(store.settle(callId, counters, cost, now)).as(where)
            .isEqualTo(reference.settle(callId, counters, cost, now));
        if (settled.put(callId, caps) == null) {
          settledIds.add(callId);
        }
      } else if (op < 9) {
        List<BudgetCounter> counters = counters(shapes.get(rng.nextInt(2)));
        assertThat(store.balances(counters, now)).as(where)
            .isEqualTo(reference.balances(counters, now));
      } else {
        BudgetCounter c = counters(shapes.get(rng.nextInt(2))).get(0);
        int bits = 1 << rng.nextInt(3);
        assertThat(store.mark(c, bits, now)).as(where).isEqualTo(reference.mark(c, bits, now));
      }
    }
    assertThat(refusals).as("seed %d: some reservations did not fit", seed).isPositive();
  }

  private static List<BudgetCounter> counters(List<Cap> caps) {
    return caps.stream().map(Cap::counter).toList();
  }

  @Test
  void aReservationFitsEveryCapOrTakesNothing() {
    try (RedisStores stores = Stores.on(redis).build()) {
      BudgetStore store = stores.budgetStore();
      Instant now = START.plusSeconds(60);
      BudgetCounter team = counter("team", Scope.TEAM, "acme", "search");
      BudgetCounter org = counter("org", Scope.ORG, "acme", "acme");
      List<Cap> caps = List.of(new Cap(team, 1_000), new Cap(org, 500));
      assertThat(store.reserve("c1", caps, 400, now.plusSeconds(60), now)).isNull();
      BudgetBalance refused = store.reserve("c2", caps, 200, now.plusSeconds(60), now);
      assertThat(refused).isEqualTo(new BudgetBalance(org, 0, 400, 0));
      assertThat(store.balances(List.of(team, org), now)).extracting(BudgetBalance::reservedNanos)
          .as("the team counter took nothing either").containsExactly(400L, 400L);
      assertThat(store.reserve("c3", List.of(new Cap(team, 1_000), new Cap(org, Long.MAX_VALUE)),
          600, now.plusSeconds(60), now)).as("an uncapped counter takes any amount").isNull();
    }
  }

  @Test
  void aSettleWhoseReplyIsLostIsChargedOnce() throws Exception {
    try (RedisStores stores = Stores.on(redis).build()) {
      BudgetStore store = stores.budgetStore();
      Instant now = START.plusSeconds(60);
      BudgetCounter team = counter("team", Scope.TEAM, "acme", "lost");
      assertThat(store.reserve("c1", List.of(new Cap(team, 10_000)), 5_000,
          now.plusSeconds(60), now)).isNull();

      redis.pause(); // the settle goes out, and waits in the socket while Redis is stopped
      List<BudgetBalance> meanwhile;
      try {
        meanwhile = store.settle("c1", List.of(team), 3_000, now);
      } finally {
        redis.resume(); // Redis runs the settle now; its reply finds nobody waiting
      }
      assertThat(meanwhile).as("the settle did not throw; it is kept").hasSize(1);
      assertThat(stores.health().pending()).isEqualTo(1);

      assertThat(stores.reconcile()).as("replayed by call id").isEqualTo(1);
      assertThat(store.settle("c1", List.of(team), 3_000, now))
          .as("and tried again by the gateway").containsExactly(new BudgetBalance(team, 3_000, 0,
              0));
      assertThat(stores.health().pending()).isZero();
      assertThat(stores.health().mode()).isEqualTo(RedisHealth.Mode.NORMAL);
    }
  }

  @Test
  void aLeaseEndsOnItsOwnAndASettleAfterItIsChargedOnce() {
    try (RedisStores stores = Stores.on(redis).build()) {
      BudgetStore store = stores.budgetStore();
      Instant now = START.plusSeconds(60);
      BudgetCounter team = counter("team", Scope.TEAM, "acme", "lease");
      List<Cap> caps = List.of(new Cap(team, 1_000));
      assertThat(store.reserve("c1", caps, 800, now.plusMillis(1_000), now)).isNull();
      assertThat(store.reserve("c2", caps, 800, now.plusMillis(1_000), now.plusMillis(999)))
          .isNotNull();
      assertThat(store.balances(List.of(team), now.plusMillis(1_000)))
          .containsExactly(new BudgetBalance(team, 0, 0, 0));
      assertThat(store.reserve("c2", caps, 800, now.plusMillis(5_000), now.plusMillis(1_000)))
          .isNull();
      assertThat(store.settle("c1", List.of(team), 300, now.plusMillis(2_000)))
          .as("charged after its lease; c2's hold is untouched")
          .containsExactly(new BudgetBalance(team, 300, 800, 0));
      assertThat(store.settle("c1", List.of(team), 300, now.plusMillis(2_100)))
          .containsExactly(new BudgetBalance(team, 300, 800, 0));
      assertThat(store.reserve("c1", caps, 100, now.plusMillis(9_000), now.plusMillis(2_200)))
          .as("a settled call holds nothing more").isNull();
      assertThat(store.release("c2", List.of(team), now.plusMillis(2_300)))
          .containsExactly(new BudgetBalance(team, 300, 0, 0));
    }
  }

  @Test
  void marksAreSetOnce() {
    try (RedisStores stores = Stores.on(redis).build()) {
      BudgetStore store = stores.budgetStore();
      BudgetCounter team = counter("team", Scope.TEAM, "acme", "marks");
      assertThat(store.mark(team, 1 | 2, START)).isEqualTo(3);
      assertThat(store.mark(team, 2 | 4, START)).isEqualTo(4);
      assertThat(store.mark(team, 7, START)).isZero();
      assertThat(store.balances(List.of(team), START).get(0).marks()).isEqualTo(7);
    }
  }

  @Test
  void moneyIsExactBelowTwoToThe53AndRefusedAbove() {
    try (RedisStores stores = Stores.on(redis).build()) {
      BudgetStore store = stores.budgetStore();
      long max = RedisBudgetStore.MAX_EXACT_NANOS;
      BudgetCounter team = counter("team", Scope.TEAM, "acme", "big");
      Instant now = START.plusSeconds(1);
      assertThat(store.reserve("c1", List.of(new Cap(team, max)), max - 2, now.plusSeconds(9),
          now)).isNull();
      assertThat(store.reserve("c2", List.of(new Cap(team, max)), 3, now.plusSeconds(9), now))
          .as("one nano-dollar too many").isNotNull();
      assertThat(store.reserve("c2", List.of(new Cap(team, max)), 2, now.plusSeconds(9), now))
          .isNull();
      assertThat(store.settle("c1", List.of(team), max - 2, now)).containsExactly(
          new BudgetBalance(team, max - 2, 2, 0));
      assertThatThrownBy(() -> store.reserve("c3", List.of(new Cap(team, max + 1)), 1,
          now.plusSeconds(9), now)).isInstanceOf(BudgetStoreException.class)
          .hasMessageContaining("lower the limit");
      assertThatThrownBy(() -> store.settle("c4", List.of(team), max + 1, now))
          .isInstanceOf(BudgetStoreException.class);
    }
  }

  @Test
  void keysExpireAfterTheirPeriodAndASettledMarkOutlivesItsLease() {
    try (RedisStores stores = Stores.on(redis).timeSource(TimeSource.SERVER)
        .settledIdMemory(Duration.ofMinutes(10)).keepEndedPeriods(Duration.ofDays(35)).build()) {
      BudgetStore store = stores.budgetStore();
      Instant now = Instant.now();
      BudgetCounter team = new BudgetCounter("team", Scope.TEAM, "acme", "ttl",
          now.minusSeconds(60), now.plus(Duration.ofDays(3)));
      assertThat(store.reserve("c1", List.of(new Cap(team, 1_000)), 10,
          now.plus(Duration.ofMinutes(30)), now)).isNull();
      store.settle("c1", List.of(team), 5, now);
      long day = Duration.ofDays(1).toMillis();
      assertThat(raw.redis.pttl(stores.keys().budget(team))).as("period end + 35 days")
          .isBetween(37 * day, 38 * day + 1);
      assertThat(raw.redis.pttl(stores.keys().settled("acme", "c1")))
          .as("the 30 min its lease had left, more than the 10 min memory")
          .isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
      store.settle("c2", List.of(team), 5, now);
      assertThat(raw.redis.pttl(stores.keys().settled("acme", "c2")))
          .isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
    }
  }

  @Test
  void everyCounterIsListedBackFromRedis() {
    try (RedisStores stores = Stores.on(redis).build()) {
      BudgetStore store = stores.budgetStore();
      BudgetCounter a = counter("team", Scope.TEAM, "acme", "search");
      BudgetCounter b = counter("team", Scope.TEAM, "", "odd}:b:id with spaces");
      BudgetCounter c = counter("org", Scope.ORG, "globex", "globex");
      store.settle("c1", List.of(a), 10, START);
      store.settle("c2", List.of(b), 20, START);
      store.mark(c, 1, START);
      assertThat(store.list(START)).containsExactlyInAnyOrder(new BudgetBalance(a, 10, 0, 0),
          new BudgetBalance(b, 20, 0, 0), new BudgetBalance(c, 0, 0, 1));
    }
  }
}
