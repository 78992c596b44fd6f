package dev.llmgateway.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.limit.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store's all-or-nothing reservation under races, a thousand seeded rounds per variant: 64
 * threads released together by a barrier each run calls that reserve on a team and an org counter
 * at once, sometimes grow their reservation, and settle (or release). Calls that cost at most what
 * they reserved never take a counter past its limit — checked by every thread after every step,
 * and at the end; calls that cost up to twice that overspend at most 64 × the largest reservation.
 * At the end nothing is reserved and each counter's spent figure is exactly the costs settled.
 */
@org.junit.jupiter.api.Timeout(300)
class InMemoryBudgetStoreRaceTest {
  private static final int THREADS = 64;
  private static final int ROUNDS = 1_000;
  private static final int CALLS = 6;
  private static final long LIMIT = 10_000_000;
  private static final long MAX_FIRST = 40_000;
  private static final long MAX_GROWTH = 10_000;
  private static final Instant NOW = Instant.parse("2026-12-15T12:00:00Z");

  @ParameterizedTest(name = "actual cost up to {0}x the reservation")
  @ValueSource(ints = {1, 2})
  void reservationsNeverTakeACounterPastItsLimit(int k) throws Exception {
    Budget team = Budget.perId("team", Scope.TEAM, "0.01");
    Budget org = Budget.perId("org", Scope.ORG, "0.01");
    BudgetCounter teamCounter = team.counter("acme", "support", NOW);
    BudgetCounter orgCounter = org.counter("acme", "acme", NOW);
    List<BudgetStore.Cap> caps = List.of(new BudgetStore.Cap(teamCounter, LIMIT),
        new BudgetStore.Cap(orgCounter, LIMIT));
    List<BudgetCounter> counters = List.of(teamCounter, orgCounter);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        long seed = 0x5EEDL * 1_000_003 + round * 31L + k;
        InMemoryBudgetStore store = InMemoryBudgetStore.create();
        store.settle("seed", counters, LIMIT - 1_000_000, NOW); // 1 million nano-dollars of room
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        AtomicReference<String> broken = new AtomicReference<>();
        AtomicLong charged = new AtomicLong();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          Random random = new Random(seed * 64 + t);
          String thread = "r" + round + "t" + t + "c";
          done.add(pool.submit(() -> {
            barrier.await(30, TimeUnit.SECONDS);
            for (int c = 0; c < CALLS; c++) {
              String call = thread + c;
              long held = 1 + random.nextInt((int) MAX_FIRST);
              if (store.reserve(call, caps, held, NOW.plusSeconds(600), NOW) != null) {
                continue;
              }
              if (random.nextBoolean()) {
                long more = 1 + random.nextInt((int) MAX_GROWTH);
                if (store.reserve(call, caps, more, NOW.plusSeconds(600), NOW) == null) {
                  held += more;
                }
              }
              check(store, counters, k, broken);
              if (random.nextInt(4) == 0) {
                store.release(call, counters, NOW);
              } else {
                long cost = (long) (random.nextDouble() * k * held);
                store.settle(call, counters, cost, NOW);
                charged.addAndGet(cost);
              }
              check(store, counters, k, broken);
            }
            return null;
          }));
        }
        for (Future<?> d : done) {
          d.get(60, TimeUnit.SECONDS);
        }
        assertThat(broken.get()).as("seed %s", seed).isNull();
        for (BudgetBalance b : store.balances(counters, NOW)) {
          assertThat(b.reservedNanos()).isZero();
          assertThat(b.spentNanos()).as("every cost charged once, seed %s", seed)
              .isEqualTo(LIMIT - 1_000_000 + charged.get());
          if (k == 1) {
            assertThat(b.spentNanos()).as("seed %s", seed).isLessThanOrEqualTo(LIMIT);
          } else {
            assertThat(b.spentNanos() - LIMIT).as("seed %s", seed)
                .isLessThanOrEqualTo(THREADS * (MAX_FIRST + MAX_GROWTH));
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** With costs within reservations, spent + reserved never passes the limit, at any moment. */
  private static void check(InMemoryBudgetStore store, List<BudgetCounter> counters, int k,
      AtomicReference<String> broken) {
    if (k != 1) {
      return;
    }
    for (BudgetBalance b : store.balances(counters, NOW)) {
      if (b.spentNanos() + b.reservedNanos() > LIMIT) {
        broken.compareAndSet(null, b.toString());
      }
    }
  }
}
