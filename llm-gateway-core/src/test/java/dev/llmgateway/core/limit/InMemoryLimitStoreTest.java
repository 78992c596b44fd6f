package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link InMemoryLimitStore}: windows, retry-after, all or nothing, settling, slots, bounds. */
@Timeout(120)
class InMemoryLimitStoreTest {
  private static final long T0 = 1_700_000_000_000L; // a whole second

  private final InMemoryLimitStore store = new InMemoryLimitStore();

  private static LimitCounter team(String limit, String team) {
    return new LimitCounter(limit, Scope.TEAM, "acme", team);
  }

  /** Two requests per 10 s in 10 buckets of a second. */
  private static LimitRequest twoPerTenSeconds(long amount) {
    return LimitRequest.window(team("rps", "support"), 2, 10_000, 10, amount);
  }

  private Acquisition take(LimitRequest r, long at) {
    return store.acquire(List.of(r), at);
  }

  @Test
  void aFullWindowRefusesUntilItsOldestBucketLeavesIt() {
    assertThat(take(twoPerTenSeconds(1), T0 + 200).isAdmitted()).isTrue();
    assertThat(take(twoPerTenSeconds(1), T0 + 3_500).isAdmitted()).isTrue();

    Acquisition refused = take(twoPerTenSeconds(1), T0 + 5_000);

    // bucket 0 is counted until bucket 11 begins (N + 1 buckets): T0 + 11 s, 6 s from now
    assertThat(refused.isAdmitted()).isFalse();
    assertThat(refused.refusedIndex()).isZero();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(6_000));
    assertThat(take(twoPerTenSeconds(1), T0 + 10_999).isAdmitted()).isFalse();
    assertThat(take(twoPerTenSeconds(1), T0 + 11_000).isAdmitted()).isTrue();
    assertThat(store.countOf(twoPerTenSeconds(1).counter(), T0 + 11_000)).isEqualTo(2);
  }

  @Test
  void retryAfterWaitsForAsManyBucketsAsTheAmountNeeds() {
    LimitRequest ten = LimitRequest.window(team("tpm", "support"), 100, 10_000, 10, 30);
    take(ten, T0);             // bucket 0: 30
    take(ten, T0 + 1_000);     // bucket 1: 30
    take(ten, T0 + 2_000);     // bucket 2: 30
    LimitRequest fifty = LimitRequest.window(team("tpm", "support"), 100, 10_000, 10, 50);

    // 90 + 50 > 100: 40 must leave, buckets 0 and 1 (at T0 + 12 s)
    assertThat(take(fifty, T0 + 4_000).retryAfter()).isEqualTo(Duration.ofMillis(8_000));
  }

  @Test
  void anAmountAboveTheLimitNeverFits() {
    Acquisition a = take(LimitRequest.window(team("tpm", "support"), 100, 60_000, 60, 101), T0);

    assertThat(a.isAdmitted()).isFalse();
    assertThat(a.retryAfter()).isNull();
  }

  @Test
  void aRefusedCallTakesNothingFromItsOtherCounters() {
    LimitRequest roomy = LimitRequest.window(team("roomy", "support"), 100, 60_000, 60, 1);
    LimitRequest slot = LimitRequest.slot(team("slots", "support"), 5, "call-1", T0 + 60_000);
    LimitRequest full = LimitRequest.window(team("full", "support"), 1, 60_000, 60, 1);
    take(full, T0);

    Acquisition a = store.acquire(List.of(roomy, slot, full), T0 + 10);

    assertThat(a.refusedIndex()).isEqualTo(2);
    assertThat(store.countOf(roomy.counter(), T0 + 10)).isZero();
    assertThat(store.countOf(slot.counter(), T0 + 10)).isZero();
  }

  @Test
  void aRefusalDoesNotReleaseASlotItsLeaseAlreadyHeld() {
    LimitRequest slot = LimitRequest.slot(team("slots", "support"), 5, "call-1", T0 + 60_000);
    LimitRequest full = LimitRequest.window(team("full", "support"), 1, 60_000, 60, 1);
    take(slot, T0);
    take(full, T0);

    assertThat(store.acquire(List.of(slot, full), T0 + 10).isAdmitted()).isFalse();

    assertThat(store.countOf(slot.counter(), T0 + 10)).isEqualTo(1);
  }

  @Test
  void settlingCorrectsTheBucketTheEstimateWentToWhileItIsInTheWindow() {
    LimitRequest estimate = LimitRequest.window(team("tpm", "support"), 1_000, 60_000, 60, 100);
    Acquisition a = take(estimate, T0 + 500);
    long at = a.countedAtMillis(0);

    store.settle(List.of(Settlement.adjust(estimate, at, 350 - 100)), T0 + 30_000);
    assertThat(store.countOf(estimate.counter(), T0 + 30_000)).isEqualTo(350);

    store.settle(List.of(Settlement.adjust(estimate, at, -10_000)), T0 + 30_000);
    assertThat(store.countOf(estimate.counter(), T0 + 30_000)).as("never below zero").isZero();

    take(LimitRequest.window(team("tpm", "support"), 1_000, 60_000, 60, 1), T0 + 62_000);
    store.settle(List.of(Settlement.adjust(estimate, at, 500)), T0 + 62_000);
    assertThat(store.countOf(estimate.counter(), T0 + 62_000))
        .as("its bucket has left the window: it counts no more").isEqualTo(1);
  }

  @Test
  void aThreadWithAnOlderClockReadingIsCountedAtTheCountersNewestTime() {
    LimitRequest one = LimitRequest.window(team("rpm", "support"), 5, 10_000, 10, 1);
    take(one, T0 + 20_000);

    Acquisition stale = take(one, T0 + 5_000);

    assertThat(stale.countedAtMillis(0)).isEqualTo(T0 + 20_000);
    assertThat(store.countOf(one.counter(), T0 + 20_000)).isEqualTo(2);
  }

  @Test
  void aClockSteppedBackByMoreThanAMinuteRestartsTheCounter() {
    LimitRequest one = LimitRequest.window(team("rpm", "support"), 1, 10_000, 10, 1);
    take(one, T0 + 100_000);

    Acquisition back = take(one, T0 + 100_000 - 60_001);

    assertThat(back.isAdmitted()).isTrue();
    assertThat(back.countedAtMillis(0)).isEqualTo(T0 + 100_000 - 60_001);
  }

  @Test
  void aLimitChangedAtRunTimeAppliesToTheCountsSoFarAndANewWindowCountsAfresh() {
    LimitRequest three = LimitRequest.window(team("rpm", "support"), 3, 60_000, 60, 1);
    take(three, T0);
    take(three, T0);
    LimitRequest two = LimitRequest.window(team("rpm", "support"), 2, 60_000, 60, 1);
    assertThat(take(two, T0 + 1).isAdmitted()).isFalse();

    LimitRequest perTenSeconds = LimitRequest.window(team("rpm", "support"), 2, 10_000, 10, 1);
    assertThat(take(perTenSeconds, T0 + 2).isAdmitted()).isTrue();
  }

  @Test
  void aSlotIsHeldOncePerLeaseReleasedIdempotentlyAndFreedAtItsLeaseEnd() {
    LimitCounter key = team("key-concurrent", "support");
    assertThat(take(LimitRequest.slot(key, 2, "a", T0 + 1_000), T0).isAdmitted()).isTrue();
    assertThat(take(LimitRequest.slot(key, 2, "a", T0 + 5_000), T0).isAdmitted())
        .as("a retry of the same call holds the one slot").isTrue();
    assertThat(take(LimitRequest.slot(key, 2, "b", T0 + 1_000), T0).isAdmitted()).isTrue();
    assertThat(take(LimitRequest.slot(key, 2, "c", T0 + 1_000), T0).isAdmitted()).isFalse();
    assertThat(take(LimitRequest.slot(key, 2, "c", T0 + 1_000), T0).retryAfter()).isNull();

    LimitRequest b = LimitRequest.slot(key, 2, "b", T0 + 1_000);
    store.settle(List.of(Settlement.release(b), Settlement.release(b)), T0);
    assertThat(store.countOf(key, T0)).isEqualTo(1);
    assertThat(take(LimitRequest.slot(key, 2, "c", T0 + 1_000), T0).isAdmitted()).isTrue();

    // "c" (lease until T0 + 1 s) expires; "a" was renewed until T0 + 5 s
    assertThat(take(LimitRequest.slot(key, 2, "d", T0 + 9_000), T0 + 1_000).isAdmitted())
        .isTrue();
    assertThat(take(LimitRequest.slot(key, 2, "e", T0 + 9_000), T0 + 1_000).isAdmitted())
        .isFalse();
  }

  @Test
  void neverMoreSlotsHeldThanTheLimitUnderARace() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      for (long seed = 1; seed <= 20; seed++) {
        LimitCounter key = team("concurrent", "t" + seed);
        int limit = 1 + (int) (seed % 5);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
          Random rng = new Random(seed * 100 + t);
          int thread = t;
          done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < 100; i++) {
              LimitRequest slot = LimitRequest.slot(key, limit, thread + "-" + i, Long.MAX_VALUE);
              if (store.acquire(List.of(slot), T0).isAdmitted()) {
                admitted.incrementAndGet();
                int now = inFlight.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                for (int spin = rng.nextInt(200); spin > 0; spin--) {
                  Thread.onSpinWait();
                }
                inFlight.decrementAndGet();
                store.settle(List.of(Settlement.release(slot)), T0);
              }
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get();
        }
        assertThat(most.get()).as("seed %d", seed).isLessThanOrEqualTo(limit).isPositive();
        assertThat(admitted.get()).isGreaterThan(limit);
        assertThat(store.countOf(key, T0)).as("all released, seed %d", seed).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMillionDistinctUserIdsStayWithinTheCounterBoundAndWithinTheLimit() {
    InMemoryLimitStore bounded = new InMemoryLimitStore(10_000);
    int admitted = 0;
    for (int i = 0; i < 1_000_000; i++) {
      LimitRequest r = LimitRequest.window(
          new LimitCounter("user-rpm", Scope.USER, "acme", "user-" + i), 5, 60_000, 60, 1);
      if (bounded.acquire(List.of(r), T0 + i / 100).isAdmitted()) {
        admitted++;
      }
      if (i % 1_000 == 0) {
        assertThat(bounded.size()).isLessThanOrEqualTo(10_001);
      }
    }
    assertThat(bounded.size()).isLessThanOrEqualTo(10_001);
    // 10,000 ids got their own counter (one request each); the rest shared the overflow counter,
    // limited as one id: at most 5 per window over the 10,000 ms the loop's clock spanned
    assertThat(bounded.overflowed()).isEqualTo(1_000_000 - 10_000);
    assertThat(admitted).isBetween(10_000, 10_000 + 5 * 2);

    // once the clock moves past a window, the sweep removes the idle counters
    bounded.acquire(List.of(LimitRequest.window(
        new LimitCounter("user-rpm", Scope.USER, "acme", "late"), 5, 60_000, 60, 1)),
        T0 + 10_000 + 62_000);
    assertThat(bounded.size()).isEqualTo(1);
  }

  @Test
  void aUsersIdIsNeverPrinted() {
    LimitCounter user = new LimitCounter("user-rpm", Scope.USER, "acme", "alice@example.com");

    assertThat(user.toString()).doesNotContain("alice").contains("<redacted>");
    assertThat(LimitRequest.window(user, 1, 1_000, 10, 1).toString()).doesNotContain("alice");
  }
}
