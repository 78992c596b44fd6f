package dev.llmgateway.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.limit.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-memory store keeps no index of the leases' ends, only a time no later than the earliest,
 * and sweeps when an operation finds it passed. Raced here, 2,000 seeded rounds: three threads
 * reserve on counters of their own (never settling) with leases up to 3 s ahead of a shared clock,
 * while a fourth moves the clock on and reads, which sweeps. A reservation made while a sweep runs
 * must not be lost to the next one: once the clock is past every lease, one more operation
 * releases all of them, every round; and no reservation is released before its lease ends.
 */
@Timeout(300)
class LeaseSweepRaceTest {
  private static final int ROUNDS = 2_000;
  private static final int RESERVERS = 3;
  private static final int CALLS = 40;
  private static final Instant T0 = Instant.parse("2026-12-15T12:00:00Z");

  @Test
  void everyLeaseIsReleasedOnceTheClockIsPastItAndNoneBefore() throws Exception {
    Budget team = Budget.perId("team", Scope.TEAM, "1000.00");
    List<BudgetCounter> counters = new ArrayList<>();
    for (int t = 0; t < RESERVERS; t++) {
      counters.add(team.counter("acme", "team-" + t, T0));
    }
    ExecutorService pool = Executors.newFixedThreadPool(RESERVERS + 1);
    long reads = 0;
    try {
      for (int round = 0; round < ROUNDS; round++) {
        long seed = 0x1EA5EL * 7_919 + round;
        InMemoryBudgetStore store = InMemoryBudgetStore.create();
        AtomicReference<Instant> clock = new AtomicReference<>(T0);
        AtomicReference<String> early = new AtomicReference<>();
        CyclicBarrier barrier = new CyclicBarrier(RESERVERS + 1);
        List<Future<Long>> done = new ArrayList<>();
        for (int t = 0; t < RESERVERS; t++) {
          SplittableRandom random = new SplittableRandom(seed * 8 + t);
          String prefix = "r" + round + "t" + t + "c";
          List<BudgetCounter> own = List.of(counters.get(t));
          List<BudgetStore.Cap> caps = List.of(new BudgetStore.Cap(own.get(0), Long.MAX_VALUE));
          done.add(pool.submit(() -> {
            barrier.await(30, TimeUnit.SECONDS);
            List<Instant> leases = new ArrayList<>();
            for (int c = 0; c < CALLS; c++) {
              Instant now = clock.get();
              Instant lease = now.plusMillis(1 + random.nextInt(3_000));
              store.reserve(prefix + c, caps, 1, lease, now);
              leases.add(lease);
              long held = store.balances(own, clock.get()).get(0).reservedNanos();
              Instant after = clock.get(); // every sweep so far used a time up to this one
              long ahead = leases.stream().filter(l -> l.isAfter(after)).count();
              if (held < ahead) {
                early.compareAndSet(null, prefix + c + ": " + held + " held, " + ahead + " ahead");
              }
            }
            return 0L;
          }));
        }
        SplittableRandom mover = new SplittableRandom(seed * 8 + 7);
        done.add(pool.submit(() -> {
          barrier.await(30, TimeUnit.SECONDS);
          long n = 0;
          for (int i = 0; i < CALLS * 2; i++) {
            Instant now = clock.updateAndGet(c -> c.plusMillis(mover.nextInt(200)));
            store.balances(counters, now);
            n++;
          }
          return n;
        }));
        for (Future<Long> d : done) {
          reads += d.get(60, TimeUnit.SECONDS);
        }
        assertThat(early.get()).as("released before its lease ended, seed %s", seed).isNull();
        Instant past = clock.get().plusSeconds(10);
        for (BudgetBalance b : store.balances(counters, past)) {
          assertThat(b.reservedNanos())
              .as("every lease released once the clock is past it, seed %s", seed).isZero();
        }
        assertThat(store.callIdCount()).as("seed %s", seed).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(reads).isEqualTo((long) ROUNDS * CALLS * 2);
  }
}
