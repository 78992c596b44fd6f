package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.limit.Acquisition;
import dev.llmgateway.core.limit.InMemoryLimitStore;
import dev.llmgateway.core.limit.LimitCounter;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.LimitStore;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.limit.Settlement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisLimitStore} against a real {@code redis-server}, as {@code LimitStore}'s javadoc
 * states the algorithm: the same answers as the in-memory reference store for seeded random
 * sequences of windows, slots, clock moves (forward, back, far back) and settlements; the window
 * bound under a race of 16 threads moving a shared random clock; windows and slots across two
 * tenants taken all or nothing; keys that expire with their window or lease and never hold an end
 * user's id; the server's clock counting when the gateway's is off by a day.
 */
@Timeout(60)
class RedisLimitStoreTest {
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

  private static LimitCounter counter(String limit, String tenant, String id) {
    return new LimitCounter(limit, Scope.TEAM, tenant, id);
  }

  @Test
  void answersAsTheInMemoryStoreDoesForRandomSequences() {
    for (long seed = 1; seed <= 4; seed++) {
      try (RedisStores stores = Stores.on(redis).build()) {
        compare(seed, stores.limitStore(), new PerTenant(new InMemoryLimitStore()));
      }
    }
  }

  /**
   * The in-memory store asked as the Redis store asks Redis: one acquisition per tenant, each all
   * or nothing; when one refuses, the windows the others took are given back (adjusted by minus
   * their amount). The sequences never put a slot beside another tenant's window, whose give-back
   * would need to know whether the slot was newly taken.
   */
  private record PerTenant(InMemoryLimitStore store) implements LimitStore {
    @Override
    public Acquisition acquire(List<LimitRequest> requests, long nowMillis) {
      java.util.Map<String, List<Integer>> groups = new java.util.LinkedHashMap<>();
      for (int i = 0; i < requests.size(); i++) {
        groups.computeIfAbsent(requests.get(i).counter().tenant(), t -> new ArrayList<>()).add(i);
      }
      long[] at = new long[requests.size()];
      int refused = Integer.MAX_VALUE;
      long retryAfter = -1;
      List<List<Integer>> taken = new ArrayList<>();
      for (List<Integer> group : groups.values()) {
        List<LimitRequest> part = group.stream().map(requests::get).toList();
        Acquisition a = store.acquire(part, nowMillis);
        if (a.isAdmitted()) {
          for (int j = 0; j < group.size(); j++) {
            at[group.get(j)] = a.countedAtMillis(j);
          }
          taken.add(group);
        } else if (group.get(a.refusedIndex()) < refused) {
          refused = group.get(a.refusedIndex());
          retryAfter = a.retryAfter() == null ? -1 : a.retryAfter().toMillis();
        }
      }
      if (refused == Integer.MAX_VALUE) {
        return Acquisition.admitted(at);
      }
      for (List<Integer> group : taken) {
        for (int i : group) {
          LimitRequest r = requests.get(i);
          assertThat(r.isSlot()).as("the sequences put no slot beside another tenant").isFalse();
          if (r.amount() > 0) {
            store.settle(List.of(Settlement.adjust(r, at[i], -r.amount())), nowMillis);
          }
        }
      }
      return Acquisition.refused(refused, retryAfter);
    }

    @Override
    public void settle(List<Settlement> settlements, long nowMillis) {
      store.settle(settlements, nowMillis);
    }
  }

  /**
   * Runs one seeded sequence on both stores: acquisitions of one to three requests over two
   * windows and a slot counter of two tenants, the clock moving forward by up to a bucket and a
   * half, now and then a little back (less than a bucket) or, once, five minutes back; settlements
   * of token corrections and slot releases of earlier admissions. Every answer must be equal.
   */
  private static void compare(long seed, LimitStore redisStore, LimitStore reference) {
    Random rng = new Random(seed);
    long now = 1_700_000_000_000L + rng.nextInt(1_000_000);
    List<LimitRequest> shapes = List.of(
        LimitRequest.window(counter("rpm", "acme", "a"), 5, 1_000, 10, 1),
        LimitRequest.window(counter("tpm", "acme", "a"), 300, 2_000, 8, 1),
        LimitRequest.window(counter("rpm", "", "*"), 8, 1_000, 10, 1));
    List<Object[]> admitted = new ArrayList<>(); // {request, countedAt}
    int calls = 0;
    int refusals = 0;
    for (int step = 0; step < 300; step++) {
      int move = rng.nextInt(20);
      if (move == 0) {
        now -= rng.nextInt(99);
      } else if (move == 1 && step == 150) {
        now -= 300_000; // a clock stepped back by more than the counters' step-back limit
      } else {
        now += rng.nextInt(150);
      }
      if (rng.nextInt(5) == 0 && !admitted.isEmpty()) {
        Object[] a = admitted.remove(rng.nextInt(admitted.size()));
        LimitRequest r = (LimitRequest) a[0];
        Settlement s = r.isSlot() ? Settlement.release(r)
            : Settlement.adjust(r, (long) a[1], rng.nextInt(61) - 30);
        redisStore.settle(List.of(s), now);
        reference.settle(List.of(s), now);
        continue;
      }
      List<LimitRequest> requests = new ArrayList<>();
      for (LimitRequest shape : shapes) {
        if (rng.nextInt(3) > 0) {
          long amount = shape.counter().limit().equals("tpm") ? rng.nextInt(120) : 1;
          requests.add(LimitRequest.window(shape.counter(), shape.limit(), shape.windowMillis(),
              shape.buckets(), amount));
        }
      }
      boolean global = requests.stream().anyMatch(r -> r.counter().tenant().isEmpty());
      if (!global && rng.nextInt(2) == 0) {
        requests.add(LimitRequest.slot(counter("conc", "acme", "a"), 3,
            "call-" + rng.nextInt(6), now + 200 + rng.nextInt(800)));
      }
      if (requests.isEmpty()) {
        continue;
      }
      Acquisition got = redisStore.acquire(requests, now);
      Acquisition expected = reference.acquire(requests, now);
      String where = "seed " + seed + ", step " + step + ", now " + now + ", " + requests;
      assertThat(got.isAdmitted()).as(where).isEqualTo(expected.isAdmitted());
      calls++;
      if (expected.isAdmitted()) {
        for (int i = 0; i < requests.size(); i++) {
          assertThat(got.countedAtMillis(i)).as(where).isEqualTo(expected.countedAtMillis(i));
          admitted.add(new Object[] {requests.get(i), got.countedAtMillis(i)});
        }
      } else {
        refusals++;
        assertThat(got.refusedIndex()).as(where).isEqualTo(expected.refusedIndex());
        assertThat(got.retryAfter()).as(where).isEqualTo(expected.retryAfter());
      }
    }
    assertThat(refusals).as("seed %d refused some", seed).isBetween(calls / 20, calls - 20);
  }

  @Test
  void everyWindowOfARaceOnARandomClockHoldsAtMostTheLimit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (RedisStores stores = Stores.on(redis).commandTimeout(Stores.RACE_TIMEOUT).build()) {
      for (long seed = 11; seed <= 12; seed++) {
        long window = 1_000;
        long limit = 40;
        LimitCounter requests = counter("rpm", "acme", "race" + seed);
        LimitCounter tokens = counter("tpm", "", "race" + seed);
        List<List<long[]>> admitted = race(pool, stores.limitStore(), seed, rng -> List.of(
            LimitRequest.window(requests, limit, window, 10, 1),
            LimitRequest.window(tokens, 2_000, 2_000, 20, 1 + rng.nextInt(100))));
        assertEveryWindow(seed, admitted.get(0), window, limit);
        assertEveryWindow(seed, admitted.get(1), 2_000, 2_000);
        assertThat(admitted.get(0)).as("all or nothing across tenants")
            .hasSameSizeAs(admitted.get(1));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private interface Ask {
    List<LimitRequest> next(Random rng);
  }

  /**
   * 16 racers released by one latch, 150 acquisitions each, each racer moving the shared clock by
   * 0 to 20 ms before a third of them; the admissions per request, at the times they were counted.
   */
  private static List<List<long[]>> race(ExecutorService pool, LimitStore store, long seed,
      Ask ask) throws Exception {
    AtomicLong clock = new AtomicLong(1_700_000_000_000L + new Random(seed).nextInt(100_000));
    List<ConcurrentLinkedQueue<long[]>> out = List.of(new ConcurrentLinkedQueue<>(),
        new ConcurrentLinkedQueue<>());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      Random rng = new Random(seed * 1_000 + t);
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 150; i++) {
          if (rng.nextInt(3) == 0) {
            clock.addAndGet(rng.nextInt(21));
          }
          List<LimitRequest> requests = ask.next(rng);
          Acquisition a = store.acquire(requests, clock.get());
          if (a.isAdmitted()) {
            for (int k = 0; k < requests.size(); k++) {
              out.get(k).add(new long[] {a.countedAtMillis(k), requests.get(k).amount()});
            }
          } else {
            assertThat(a.retryAfter()).isNotNull();
            assertThat(a.retryAfter().toMillis()).isBetween(1L, 2_200L);
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    return List.of(new ArrayList<>(out.get(0)), new ArrayList<>(out.get(1)));
  }

  /** Every window {@code [s, s + W)} of the recorded times holds at most {@code limit}. */
  static void assertEveryWindow(long seed, List<long[]> admitted, long window, long limit) {
    List<long[]> sorted = new ArrayList<>(admitted);
    sorted.sort(Comparator.comparingLong(a -> a[0]));
    assertThat(sorted).as("seed %d admitted something", seed).isNotEmpty();
    long sum = 0;
    long most = 0;
    int end = 0;
    for (int start = 0; start < sorted.size(); start++) {
      while (end < sorted.size() && sorted.get(end)[0] < sorted.get(start)[0] + window) {
        sum += sorted.get(end++)[1];
      }
      most = Math.max(most, sum);
      assertThat(sum).as("seed %d: window from %d ms holds %d > %d", seed, sorted.get(start)[0],
          sum, limit).isLessThanOrEqualTo(limit);
      sum -= sorted.get(start)[1];
    }
    assertThat(most).as("seed %d: the race reached the limit", seed).isGreaterThan(limit / 2);
  }

  @Test
  void aRefusalOfOneTenantGivesBackWhatTheOtherTenantsScriptTook() {
    try (RedisStores stores = Stores.on(redis).build()) {
      LimitStore store = stores.limitStore();
      long now = 1_700_000_000_000L;
      LimitRequest global = LimitRequest.window(counter("global", "", "*"), 10, 1_000, 10, 1);
      LimitRequest org = LimitRequest.window(counter("org", "acme", "acme"), 1, 1_000, 10, 1);
      LimitRequest slot = LimitRequest.slot(counter("conc", "", "*"), 1, "call-1", now + 5_000);
      assertThat(store.acquire(List.of(global, org), now).isAdmitted()).isTrue();
      Acquisition refused = store.acquire(List.of(global, slot, org), now);
      assertThat(refused.isAdmitted()).isFalse();
      assertThat(refused.refusedIndex()).isEqualTo(2);
      String windowKey = stores.keys().window(global.counter());
      assertThat(raw.redis.hget(windowKey, "tot")).as("the global count given back").isEqualTo("1");
      assertThat(raw.redis.zcard(stores.keys().slots(slot.counter())))
          .as("the slot given back").isZero();
      assertThat(store.acquire(List.of(slot), now).isAdmitted()).isTrue();
    }
  }

  @Test
  void slotsAreHeldUntilReleasedOrTheirLeaseEndsAndALeaseIdRenewsItsOwn() {
    try (RedisStores stores = Stores.on(redis).build()) {
      LimitStore store = stores.limitStore();
      long now = 1_700_000_000_000L;
      LimitCounter c = counter("conc", "acme", "k");
      LimitRequest a = LimitRequest.slot(c, 2, "a", now + 1_000);
      LimitRequest b = LimitRequest.slot(c, 2, "b", now + 5_000);
      LimitRequest d = LimitRequest.slot(c, 2, "d", now + 5_000);
      assertThat(store.acquire(List.of(a), now).isAdmitted()).isTrue();
      assertThat(store.acquire(List.of(b), now).isAdmitted()).isTrue();
      Acquisition full = store.acquire(List.of(d), now + 10);
      assertThat(full.isAdmitted()).isFalse();
      assertThat(full.retryAfter()).as("unknown for a slot").isNull();
      assertThat(store.acquire(List.of(LimitRequest.slot(c, 2, "a", now + 2_000)), now + 20)
          .isAdmitted()).as("a renews its own, to the later end").isTrue();
      assertThat(raw.redis.zscore(stores.keys().slots(c), "a")).isEqualTo(now + 2_000.0);
      assertThat(store.acquire(List.of(d), now + 1_999).isAdmitted()).isFalse();
      assertThat(store.acquire(List.of(d), now + 2_000).isAdmitted())
          .as("a's lease ended at its end").isTrue();
      store.settle(List.of(Settlement.release(b), Settlement.release(b)), now + 2_001);
      assertThat(store.acquire(List.of(a), now + 2_002).isAdmitted()).as("b released").isTrue();
      long ttl = raw.redis.pttl(stores.keys().slots(c));
      assertThat(ttl).as("the set expires after its last lease (+1 s)")
          .isBetween(3_000L, 4_000L);
    }
  }

  @Test
  void aWindowKeyExpiresWithItsWindowAndAUsersIdIsNeverWritten() {
    try (RedisStores stores = Stores.on(redis).build()) {
      LimitCounter user = new LimitCounter("user-rpm", Scope.USER, "acme", "alice@example.com");
      LimitRequest r = LimitRequest.window(user, 5, 60_000, 60, 1);
      assertThat(stores.limitStore().acquire(List.of(r), 1_700_000_000_000L).isAdmitted())
          .isTrue();
      String key = stores.keys().window(user);
      assertThat(key).doesNotContain("alice").startsWith("{" + prefixOf(stores) + ":t:acme}");
      assertThat(raw.redis.keys("*alice*")).isEmpty();
      assertThat(raw.redis.pttl(key)).as("W + 2 buckets + 1 s").isBetween(62_000L, 63_000L);
    }
  }

  @Test
  void onTheServersClockWindowsCountByRedisTimeWhateverTheGatewaySays() {
    try (RedisStores stores = Stores.on(redis).timeSource(TimeSource.SERVER).build()) {
      LimitStore store = stores.limitStore();
      LimitRequest r = LimitRequest.window(counter("rpm", "acme", "server"), 2, 60_000, 60, 1);
      long before = System.currentTimeMillis();
      Acquisition first = store.acquire(List.of(r), 0); // the gateway's clock at the epoch
      Acquisition second = store.acquire(List.of(r), before + 86_400_000L); // and a day ahead
      long after = System.currentTimeMillis();
      assertThat(first.countedAtMillis(0)).isBetween(before - 1_000, after + 1_000);
      assertThat(second.countedAtMillis(0)).isBetween(first.countedAtMillis(0), after + 1_000);
      assertThat(store.acquire(List.of(r), before + 86_400_000L).isAdmitted())
          .as("both counted in the same window").isFalse();
      LimitRequest slot = LimitRequest.slot(counter("conc", "acme", "server"), 1, "x", 30_000);
      assertThat(store.acquire(List.of(slot), 0).isAdmitted()).isTrue();
      double ends = raw.redis.zscore(stores.keys().slots(slot.counter()), "x");
      assertThat((long) ends).as("a 30 s lease from the server's now")
          .isBetween(before + 29_000, after + 31_000);
    }
  }

  private static String prefixOf(RedisStores stores) {
    String tag = stores.keys().tag("");
    return tag.substring(1, tag.indexOf(":t:"));
  }
}
