package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lock-free window under racing admissions, settlements and moves of the window: four threads
 * released by one latch take random amounts at an injected clock they move forward in seeded
 * steps (so the window moves to newer buckets while others admit), and settle their admissions
 * with refunds, at once (the newest bucket) or later (an older bucket, which seals the frame). For
 * 2,000 seeded rounds:
 *
 * <ul>
 *   <li>every window of length {@code W} over the times the counter counted the admissions holds
 *       at most the limit, net of refunds (a refund only lowers what was counted, so the heaviest
 *       window's last admission saw at least that much);
 *   <li>nothing is lost or counted twice: at rest, the counter's count equals the net amounts of
 *       the admissions whose buckets are still in the window.
 * </ul>
 *
 * <p>And a sweep retiring an idle window never leaves an admission counted in it: raced (5,000
 * seeded rounds) and with the one interleaving that matters forced by a hook.
 */
@Timeout(180)
class WindowCounterRaceTest {
  private static final int THREADS = 4;
  private static final long WINDOW = 100;
  private static final int BUCKETS = 10;
  private static final long LIMIT = 60;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS);

  @AfterAll
  static void shutdown() {
    POOL.shutdownNow();
  }

  /** One admission: when it was counted, its amount, and what was refunded of it. */
  private static final class Admitted {
    final long at;
    final long amount;
    long refunded;

    Admitted(long at, long amount) {
      this.at = at;
      this.amount = amount;
    }

    long net() {
      return amount - refunded;
    }
  }

  private static LimitRequest request(long amount) {
    return LimitRequest.window(new LimitCounter("tpm", Scope.TEAM, "acme", "support"), LIMIT,
        WINDOW, BUCKETS, amount);
  }

  @Test
  void racingAdmissionsAndSettlementsStayWithinTheLimitAndLoseNothing() throws Exception {
    long refusals = 0;
    long olderSettlements = 0;
    for (long seed = 1; seed <= 2_000; seed++) {
      WindowCounter counter = new WindowCounter(request(1));
      AtomicLong clock = new AtomicLong(1_000_000 + new SplittableRandom(seed).nextInt(1_000));
      CountDownLatch go = new CountDownLatch(1);
      List<Future<long[]>> racers = new ArrayList<>();
      List<List<Admitted>> perThread = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        SplittableRandom random = new SplittableRandom(seed * 31 + t);
        List<Admitted> mine = new ArrayList<>();
        perThread.add(mine);
        racers.add(POOL.submit(() -> race(counter, clock, random, mine, go)));
      }
      go.countDown();
      for (Future<long[]> racer : racers) {
        long[] counts = racer.get();
        refusals += counts[0];
        olderSettlements += counts[1];
      }
      List<Admitted> all = new ArrayList<>();
      perThread.forEach(all::addAll);
      assertEveryWindow(seed, all);
      long now = clock.get();
      long newest = all.stream().mapToLong(a -> a.at / bucketMillis()).max().orElse(0);
      long expected = all.stream()
          .filter(a -> a.at / bucketMillis() >= Math.max(newest, now / bucketMillis()) - BUCKETS)
          .mapToLong(Admitted::net).sum();
      assertThat(counter.countAt(now)).as("the count at rest, seed %d", seed).isEqualTo(expected);
    }
    // the race reached what it is for: refusals at the limit, and settlements behind the newest
    // bucket (each one seals a frame while others admit)
    assertThat(refusals).as("refusals").isGreaterThan(10_000);
    assertThat(olderSettlements).as("settlements behind the newest bucket").isGreaterThan(10_000);
  }

  /**
   * A sweep retiring an idle window races admissions that would revive it: either the window is
   * retired and every admission finds it dead (the store then counts them in a new counter), or
   * it is not and every admission is counted in it — never an admission counted in a retired
   * window, for 5,000 seeded rounds (the racers released together, each after a seeded spin). One
   * round in three lets the retirement finish before the admissions start, one in three the
   * other way round, so that both outcomes are checked on any machine: on one CPU the free race
   * may always end the same way (a run pinned to one CPU once retired in no round).
   */
  @Test
  void retirementRacingAdmissionsCountsNothingInADeadWindow() throws Exception {
    int retiredRounds = 0;
    for (long seed = 1; seed <= 5_000; seed++) {
      WindowCounter counter = new WindowCounter(request(1));
      long t0 = 1_000_000;
      assertThat(counter.take(request(5), t0)).isEqualTo(t0);
      long later = t0 + 3 * WINDOW; // every bucket counted in has left the window
      int order = (int) (seed % 3); // 0: a free race; 1: the retirement first; 2: admissions first
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch admit = new CountDownLatch(order == 1 ? 1 : 0);
      CountDownLatch retire = new CountDownLatch(order == 2 ? THREADS - 1 : 0);
      SplittableRandom random = new SplittableRandom(seed);
      List<Future<Long>> takes = new ArrayList<>();
      for (int t = 0; t < THREADS - 1; t++) {
        long now = later + random.nextInt(5);
        int skew = random.nextInt(400);
        takes.add(POOL.submit(() -> {
          go.await();
          admit.await();
          spin(skew);
          try {
            return counter.take(request(1), now);
          } finally {
            retire.countDown();
          }
        }));
      }
      int skew = random.nextInt(400);
      Future<Boolean> retirer = POOL.submit(() -> {
        go.await();
        retire.await();
        spin(skew);
        try {
          return counter.retireIfIdle(later);
        } finally {
          admit.countDown();
        }
      });
      go.countDown();
      boolean retired = retirer.get();
      if (order != 0) {
        assertThat(retired).as("the forced order's outcome, seed %d", seed).isEqualTo(order == 1);
      }
      int counted = 0;
      for (Future<Long> take : takes) {
        long taken = take.get();
        if (taken != Counter.DEAD) {
          assertThat(Counter.isRefusal(taken)).as("seed %d", seed).isFalse();
          counted++;
        }
      }
      if (retired) {
        retiredRounds++;
        assertThat(counted).as("admissions counted in a retired window, seed %d", seed).isZero();
      } else {
        assertThat(counted).as("admissions lost, seed %d", seed).isEqualTo(THREADS - 1);
        assertThat(counter.countAt(later + 4)).as("seed %d", seed).isEqualTo(THREADS - 1);
      }
    }
    // both outcomes were checked, at least in the rounds whose order was forced
    assertThat(retiredRounds).isBetween(1_667, 3_333);
  }

  /**
   * The interleaving the race above rarely hits, forced: an admission that revives the window
   * lands between a retirement's idle check and its seal. The retirement must then see the window
   * live again and give up, and the admission stays counted.
   */
  @Test
  void anAdmissionBetweenTheIdleCheckAndTheSealKeepsTheWindowLive() throws Exception {
    WindowCounter counter = new WindowCounter(request(1));
    long t0 = 1_000_000;
    counter.take(request(5), t0);
    long later = t0 + 3 * WINDOW;
    long[] revived = new long[1];
    counter.beforeRetiring = () -> {
      counter.beforeRetiring = null;
      try {
        revived[0] = POOL.submit(() -> counter.take(request(1), later)).get();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    assertThat(counter.retireIfIdle(later)).as("retired").isFalse();
    assertThat(revived[0]).isEqualTo(later);
    assertThat(counter.take(request(1), later)).as("still live").isEqualTo(later);
    assertThat(counter.countAt(later)).isEqualTo(2);
  }

  /** Busy for about {@code n} spin hints: seeded skew between racers released together. */
  private static void spin(int n) {
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }

  private static long bucketMillis() {
    return request(1).bucketMillis();
  }

  /** 60 steps of one racer: returns its refusals and its settlements behind the newest bucket. */
  private static long[] race(WindowCounter counter, AtomicLong clock, SplittableRandom random,
      List<Admitted> mine, CountDownLatch go) throws InterruptedException {
    go.await();
    long refusals = 0;
    long older = 0;
    List<Admitted> unsettled = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      if (random.nextInt(2) == 0) {
        clock.addAndGet(random.nextInt(6));
      }
      long now = clock.get();
      if (!unsettled.isEmpty() && random.nextInt(3) == 0) {
        Admitted a = unsettled.remove(random.nextInt(unsettled.size()));
        long refund = random.nextLong(a.amount + 1);
        a.refunded = refund;
        if (a.at / bucketMillis() < now / bucketMillis()) {
          older++;
        }
        counter.adjust(request(a.amount), a.at, -refund);
        continue;
      }
      long amount = 1 + random.nextInt(20);
      long taken = counter.take(request(amount), now);
      assertThat(taken).as("a live window is never dead").isNotEqualTo(Counter.DEAD);
      if (Counter.isRefusal(taken)) {
        refusals++;
        long retryAfter = Counter.retryAfterOf(taken);
        assertThat(retryAfter).as("retry after").isBetween(1L, WINDOW + bucketMillis());
        continue;
      }
      assertThat(taken).as("counted at or after the time asked, within a window")
          .isBetween(now - 60_000, Math.max(now, clock.get()));
      Admitted a = new Admitted(taken, amount);
      mine.add(a);
      if (random.nextInt(2) == 0) {
        unsettled.add(a);
      }
    }
    return new long[] {refusals, older};
  }

  /** Every window {@code [s, s + W)} of the counted times holds at most the limit, net. */
  private static void assertEveryWindow(long seed, List<Admitted> admitted) {
    List<Admitted> sorted = new ArrayList<>(admitted);
    sorted.sort(Comparator.comparingLong(a -> a.at));
    long sum = 0;
    int end = 0;
    for (int start = 0; start < sorted.size(); start++) {
      while (end < sorted.size() && sorted.get(end).at < sorted.get(start).at + WINDOW) {
        sum += sorted.get(end++).net();
      }
      assertThat(sum).as("the window from %d, seed %d", sorted.get(start).at, seed)
          .isLessThanOrEqualTo(LIMIT);
      sum -= sorted.get(start).net();
    }
  }
}
