package dev.llmgateway.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.core.limit.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store's rules on its own, on explicit times: all-or-nothing reservations against each
 * counter's cap, settle and release once per call id, leases that free themselves on access, and
 * memory bounded by count and by time.
 */
@Timeout(30)
class InMemoryBudgetStoreTest {
  private static final Instant NOW = Instant.parse("2026-12-15T12:00:00Z");
  private static final Budget TEAM = Budget.perId("team-monthly", Scope.TEAM, "1.00");
  private static final Budget ORG = Budget.perId("org-monthly", Scope.ORG, "5.00");
  private static final BudgetCounter SUPPORT = TEAM.counter("acme", "support", NOW);
  private static final BudgetCounter ACME = ORG.counter("acme", "acme", NOW);
  private static final long DOLLAR = 1_000_000_000L;

  private final InMemoryBudgetStore store = InMemoryBudgetStore.create();

  private static List<BudgetStore.Cap> caps(long team, long org) {
    return List.of(new BudgetStore.Cap(SUPPORT, team), new BudgetStore.Cap(ACME, org));
  }

  private BudgetBalance balance(BudgetCounter counter) {
    return store.balances(List.of(counter), NOW).get(0);
  }

  @Test
  void aReservationFitsEveryCapOrTakesNothing() {
    assertThat(store.reserve("c1", caps(DOLLAR, 5 * DOLLAR), DOLLAR / 2, NOW.plusSeconds(60),
        NOW)).isNull();
    store.settle("seed", List.of(ACME), 4 * DOLLAR, NOW); // the org has $0.50 of room left

    BudgetBalance refused = store.reserve("c2", caps(DOLLAR, 5 * DOLLAR), DOLLAR / 2 + 1,
        NOW.plusSeconds(60), NOW);

    assertThat(refused).isNotNull();
    assertThat(refused.counter()).isEqualTo(ACME);
    assertThat(balance(SUPPORT).reservedNanos()).as("the team counter took nothing")
        .isEqualTo(DOLLAR / 2);
    assertThat(store.reserve("c2", caps(DOLLAR, 5 * DOLLAR), DOLLAR / 2, NOW.plusSeconds(60),
        NOW)).as("exactly the room left fits").isNull();
    assertThat(balance(ACME).reservedNanos()).isEqualTo(DOLLAR);
  }

  @Test
  void anUncappedCounterTakesAnyAmount() {
    assertThat(store.reserve("c1", List.of(new BudgetStore.Cap(SUPPORT, Long.MAX_VALUE)),
        50 * DOLLAR, NOW.plusSeconds(60), NOW)).isNull();
    assertThat(balance(SUPPORT).reservedNanos()).isEqualTo(50 * DOLLAR);
  }

  @Test
  void settleChargesTheCostAndReleasesTheWholeReservationOnce() {
    store.reserve("c1", caps(DOLLAR, 5 * DOLLAR), 300, NOW.plusSeconds(60), NOW);
    store.reserve("c1", caps(DOLLAR, 5 * DOLLAR), 200, NOW.plusSeconds(90), NOW); // it grew

    List<BudgetBalance> after = store.settle("c1", List.of(SUPPORT, ACME), 120, NOW);
    List<BudgetBalance> again = store.settle("c1", List.of(SUPPORT, ACME), 120, NOW);
    store.release("c1", List.of(SUPPORT, ACME), NOW);

    assertThat(after).extracting(BudgetBalance::spentNanos).containsExactly(120L, 120L);
    assertThat(after).extracting(BudgetBalance::reservedNanos).containsExactly(0L, 0L);
    assertThat(again).isEqualTo(after);
    assertThat(balance(SUPPORT).spentNanos()).isEqualTo(120);
  }

  @Test
  void aReleaseChargesNothingAndASettleAfterItChangesNothing() {
    store.reserve("c1", caps(DOLLAR, 5 * DOLLAR), 300, NOW.plusSeconds(60), NOW);
    store.release("c1", List.of(SUPPORT, ACME), NOW);
    store.settle("c1", List.of(SUPPORT, ACME), 999, NOW);

    assertThat(balance(SUPPORT)).isEqualTo(new BudgetBalance(SUPPORT, 0, 0, 0));
  }

  @Test
  void aLeaseThatEndedFreesItsReservationOnTheNextAccess() {
    store.reserve("dead", caps(DOLLAR, 5 * DOLLAR), DOLLAR, NOW.plusSeconds(60), NOW);
    assertThat(store.reserve("c2", caps(DOLLAR, 5 * DOLLAR), 1, NOW.plusSeconds(60),
        NOW.plusSeconds(59))).as("the lease still holds the whole team budget").isNotNull();

    assertThat(store.reserve("c2", caps(DOLLAR, 5 * DOLLAR), DOLLAR, NOW.plusSeconds(200),
        NOW.plusSeconds(60))).as("at its end the lease frees it").isNull();
    assertThat(store.balances(List.of(SUPPORT), NOW.plusSeconds(60)).get(0).reservedNanos())
        .isEqualTo(DOLLAR);
  }

  @Test
  void aSettleAfterItsLeaseEndedIsChargedOnce() {
    store.reserve("late", caps(DOLLAR, 5 * DOLLAR), 500, NOW.plusSeconds(60), NOW);
    Instant later = NOW.plusSeconds(120);
    assertThat(store.balances(List.of(SUPPORT), later).get(0).reservedNanos()).isZero();

    store.settle("late", List.of(SUPPORT, ACME), 400, later);
    store.settle("late", List.of(SUPPORT, ACME), 400, later);

    assertThat(store.balances(List.of(SUPPORT), later).get(0))
        .isEqualTo(new BudgetBalance(SUPPORT, 400, 0, 0));
  }

  @Test
  void aReservationForACallThatSettledHoldsNothing() {
    store.settle("c1", List.of(SUPPORT), 10, NOW);
    assertThat(store.reserve("c1", caps(DOLLAR, 5 * DOLLAR), 500, NOW.plusSeconds(60), NOW))
        .isNull();
    assertThat(balance(SUPPORT).reservedNanos()).isZero();
  }

  @Test
  void settledCallIdsAreForgottenAfterTheirMemory() {
    InMemoryBudgetStore bounded = InMemoryBudgetStore.builder()
        .settledIdMemory(Duration.ofMinutes(5)).build();
    for (int i = 0; i < 1_000; i++) {
      bounded.reserve("c" + i, List.of(new BudgetStore.Cap(SUPPORT, DOLLAR)), 1,
          NOW.plusSeconds(30), NOW);
      bounded.settle("c" + i, List.of(SUPPORT), 1, NOW);
    }
    assertThat(bounded.callIdCount()).isEqualTo(1_000);

    bounded.balances(List.of(SUPPORT), NOW.plus(Duration.ofMinutes(5)).minusMillis(1));
    assertThat(bounded.callIdCount()).as("remembered for 5 minutes").isEqualTo(1_000);
    bounded.balances(List.of(SUPPORT), NOW.plus(Duration.ofMinutes(5)));
    assertThat(bounded.callIdCount()).isZero();
    assertThat(bounded.balances(List.of(SUPPORT), NOW).get(0).spentNanos()).isEqualTo(1_000);
  }

  /**
   * A memory's end is worked out from the settle's instant and the memory in seconds and
   * nanoseconds, without an instant per settle: exact to the nanosecond across a second's end.
   */
  @Test
  void aMemoryEndsToTheNanosecondAcrossASecondsEnd() {
    InMemoryBudgetStore store = InMemoryBudgetStore.builder()
        .settledIdMemory(Duration.ofSeconds(2, 300_000_000)).build();
    Instant settled = NOW.plusNanos(900_000_001); // + 2.3 s: 3.200000001 s after NOW
    store.settle("c", List.of(SUPPORT), 1, settled);

    store.balances(List.of(SUPPORT), NOW.plusNanos(3_200_000_000L));
    assertThat(store.callIdCount()).as("a nanosecond before its end").isEqualTo(1);
    store.settle("c", List.of(SUPPORT), 1, NOW.plusNanos(3_200_000_000L));
    assertThat(store.balances(List.of(SUPPORT), NOW).get(0).spentNanos())
        .as("a repeat within the memory is charged once").isEqualTo(1);
    store.balances(List.of(SUPPORT), NOW.plusNanos(3_200_000_001L));
    assertThat(store.callIdCount()).as("at its end").isZero();
  }

  @Test
  void aSettledIdIsRememberedAtLeastUntilItsLeaseWouldHaveEnded() {
    InMemoryBudgetStore bounded = InMemoryBudgetStore.builder()
        .settledIdMemory(Duration.ofMinutes(1)).build();
    bounded.reserve("long", List.of(new BudgetStore.Cap(SUPPORT, DOLLAR)), 5,
        NOW.plus(Duration.ofHours(1)), NOW);
    bounded.settle("long", List.of(SUPPORT), 5, NOW);

    Instant later = NOW.plus(Duration.ofMinutes(30));
    bounded.settle("long", List.of(SUPPORT), 5, later);

    assertThat(bounded.balances(List.of(SUPPORT), later).get(0).spentNanos()).isEqualTo(5);
  }

  @Test
  void theCounterBoundIsATypedErrorAndEndedPeriodsMakeRoom() {
    InMemoryBudgetStore small = InMemoryBudgetStore.builder().maxCounters(2)
        .keepEndedPeriods(Duration.ofDays(1)).build();
    Instant december = NOW;
    small.reserve("a", List.of(new BudgetStore.Cap(TEAM.counter("", "a", december), DOLLAR)), 1,
        december.plusSeconds(1), december);
    small.settle("a", List.of(TEAM.counter("", "a", december)), 1, december);
    small.reserve("b", List.of(new BudgetStore.Cap(TEAM.counter("", "b", december), DOLLAR)), 1,
        december.plusSeconds(1), december);

    assertThatThrownBy(() -> small.reserve("c",
        List.of(new BudgetStore.Cap(TEAM.counter("", "c", december), DOLLAR)), 1,
        december.plusSeconds(1), december))
        .isInstanceOf(BudgetStoreException.class)
        .hasMessageContaining("maxCounters");

    Instant february = Instant.parse("2027-02-03T00:00:00Z");
    small.balances(List.of(), february); // b's lease ended long ago
    assertThat(small.reserve("c", List.of(new BudgetStore.Cap(TEAM.counter("", "c", february),
        DOLLAR)), 1, february.plusSeconds(1), february)).isNull();
    assertThat(small.counterCount()).isLessThanOrEqualTo(2);
  }

  @Test
  void marksAreSetOnceEach() {
    assertThat(store.mark(SUPPORT, 1, NOW)).isEqualTo(1);
    assertThat(store.mark(SUPPORT, 3, NOW)).isEqualTo(2);
    assertThat(store.mark(SUPPORT, 3, NOW)).isZero();
    assertThat(balance(SUPPORT).marks()).isEqualTo(3);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> store.reserve("c", caps(1, 1), -1, NOW, NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.reserve("c", List.of(), 1, NOW, NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.reserve("c", List.of(new BudgetStore.Cap(SUPPORT, 1),
        new BudgetStore.Cap(SUPPORT, 2)), 1, NOW, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> store.settle("c", List.of(SUPPORT), -5, NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * At thousands of calls a second, 15 minutes of settled ids would fill a heap: past {@code
   * maxSettledIds} the oldest settled id is forgotten first (a repeat of it charges again), the
   * newest still charge once, and a call in flight keeps its hold.
   */
  @Test
  void settledIdsAreBoundedByCountOldestForgottenFirst() {
    InMemoryBudgetStore bounded = InMemoryBudgetStore.builder().maxSettledIds(10).build();
    assertThat(bounded.reserve("in-flight", caps(DOLLAR, 5 * DOLLAR), DOLLAR / 10,
        NOW.plusSeconds(60), NOW)).isNull();

    for (int i = 0; i < 25; i++) {
      bounded.settle("call-" + i, List.of(SUPPORT), 1_000, NOW.plusMillis(i));
    }

    assertThat(bounded.settledIdCount()).isEqualTo(10);
    bounded.settle("call-24", List.of(SUPPORT), 1_000, NOW.plusSeconds(1));
    assertThat(spent(bounded)).as("the newest repeat charged once").isEqualTo(25_000);
    bounded.settle("call-0", List.of(SUPPORT), 1_000, NOW.plusSeconds(1));
    assertThat(spent(bounded)).as("the oldest was forgotten: its repeat charges").isEqualTo(26_000);
    assertThat(bounded.balances(List.of(SUPPORT), NOW.plusSeconds(1)).get(0).reservedNanos())
        .as("the call in flight keeps its hold").isEqualTo(DOLLAR / 10);
    assertThat(bounded.settledIdCount()).isEqualTo(10);
  }

  /**
   * The default bound is 10,000 ids (the ids of about a second at 10,000 calls a second, about 2
   * MB): the newest 10,000 repeats charge once, an older one charges again.
   */
  @Test
  void theDefaultStoreRemembersTenThousandSettledIds() {
    InMemoryBudgetStore store = InMemoryBudgetStore.create();
    int settles = InMemoryBudgetStore.DEFAULT_MAX_SETTLED_IDS + 50;
    for (int i = 0; i < settles; i++) {
      store.settle("call-" + i, List.of(SUPPORT), 1, NOW.plusMillis(i));
    }

    assertThat(InMemoryBudgetStore.DEFAULT_MAX_SETTLED_IDS).isEqualTo(10_000);
    assertThat(store.settledIdCount()).isEqualTo(10_000);
    store.settle("call-50", List.of(SUPPORT), 1, NOW.plusSeconds(20));
    assertThat(spent(store)).as("the oldest remembered repeat charged once").isEqualTo(settles);
    store.settle("call-49", List.of(SUPPORT), 1, NOW.plusSeconds(20));
    assertThat(spent(store)).as("one older was forgotten: its repeat charges")
        .isEqualTo(settles + 1);
  }

  private static long spent(InMemoryBudgetStore s) {
    return s.balances(List.of(SUPPORT), NOW.plusSeconds(1)).get(0).spentNanos();
  }

  /**
   * Threads released together settle distinct calls into a store remembering 50: at rest it
   * remembers exactly 50, its count matches what it holds, and every call charged once, for 2,000
   * seeded rounds.
   */
  @Test
  void concurrentSettlesKeepTheBoundAndTheCountExact() throws Exception {
    for (long seed = 1; seed <= 2_000; seed++) {
      InMemoryBudgetStore bounded = InMemoryBudgetStore.builder().maxSettledIds(50).build();
      int threads = 4;
      int each = 60;
      settleTogether(threads, each, seed * 17, (call, random) -> bounded.settle(call,
          List.of(SUPPORT), 1, NOW.plusMillis(random.nextInt(1_000))));
      assertThat(bounded.settledIdCount()).as("seed %d", seed).isEqualTo(50);
      assertThat(bounded.settledIdsHeld()).as("seed %d", seed).isEqualTo(50);
      assertThat(spent(bounded)).as("seed %d", seed).isEqualTo(threads * each);
    }
  }

  /**
   * Threads released together settle distinct calls at a clock they move forward, into a store
   * remembering at most 40 ids for 50 ms each, so forgetting by count and by time race: at rest
   * the count matches what the store holds and stays within the bound, every call was charged
   * once, and once every memory has ended nothing is held, for 2,000 seeded rounds.
   */
  @Test
  void settlesRacingTheEndOfTheirMemoryKeepTheCountExact() throws Exception {
    for (long seed = 1; seed <= 2_000; seed++) {
      InMemoryBudgetStore store = InMemoryBudgetStore.builder().maxSettledIds(40)
          .settledIdMemory(java.time.Duration.ofMillis(50)).build();
      java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
      int threads = 4;
      int each = 60;
      settleTogether(threads, each, seed * 31, (call, random) -> store.settle(call,
          List.of(SUPPORT), 1, NOW.plusMillis(clock.addAndGet(random.nextInt(4)))));
      assertThat(store.settledIdCount()).as("seed %d", seed)
          .isEqualTo(store.settledIdsHeld()).isLessThanOrEqualTo(40);
      assertThat(store.balances(List.of(SUPPORT), NOW.plusSeconds(60)).get(0).spentNanos())
          .as("seed %d", seed).isEqualTo(threads * each);
      assertThat(store.settledIdCount()).as("seed %d", seed).isZero();
      assertThat(store.settledIdsHeld()).as("seed %d", seed).isZero();
    }
  }

  /**
   * Starts {@code threads} threads released by one latch, each settling {@code each} distinct
   * calls with {@code settle} and its own random source (seeded from {@code seed}), and waits for
   * them.
   */
  private static void settleTogether(int threads, int each, long seed,
      java.util.function.BiConsumer<String, java.util.SplittableRandom> settle)
      throws InterruptedException {
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.List<Thread> started = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      java.util.SplittableRandom random = new java.util.SplittableRandom(seed + t);
      int base = t * each;
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          settle.accept("call-" + (base + i), random);
        }
      });
      thread.start();
      started.add(thread);
    }
    start.countDown();
    for (Thread thread : started) {
      thread.join();
    }
  }

  @Test
  void maxSettledIdsMustBePositive() {
    assertThatThrownBy(() -> InMemoryBudgetStore.builder().maxSettledIds(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSettledIds");
  }
}
