package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bound of {@link RateLimit}'s algorithm under a race: 64 threads released by one latch acquire
 * from one {@link InMemoryLimitStore} while they move an injected clock forward in seeded random
 * steps; afterwards every window of length {@code W} over the times the store counted each
 * admission at holds at most the limit — of requests, of tokens (random amounts), and for each of
 * two limits taken together by one call (all or nothing).
 */
@Timeout(120)
class WindowBoundRaceTest {
  private static final int THREADS = 64;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS);

  @AfterAll
  static void shutdown() {
    POOL.shutdownNow();
  }

  /** One admission as the store counted it. */
  private record Admitted(long at, long amount) {}

  private static LimitCounter counter(String limit) {
    return new LimitCounter(limit, Scope.TEAM, "acme", "support");
  }

  @Test
  void requestsInEveryWindowStayWithinTheLimit() throws Exception {
    for (long seed = 1; seed <= 12; seed++) {
      long window = 1_000;
      int buckets = 10;
      long limit = 7;
      List<List<Admitted>> admitted = race(seed, 200, List.of(
          rng -> LimitRequest.window(counter("rpm"), limit, window, buckets, 1)), 20);
      assertEveryWindow(seed, admitted.get(0), window, limit);
    }
  }

  @Test
  void tokensInEveryWindowStayWithinTheLimit() throws Exception {
    for (long seed = 101; seed <= 112; seed++) {
      long window = 2_000;
      int buckets = 20;
      long limit = 400;
      List<List<Admitted>> admitted = race(seed, 200, List.of(
          rng -> LimitRequest.window(counter("tpm"), limit, window, buckets,
              1 + rng.nextInt(120))), 20);
      assertEveryWindow(seed, admitted.get(0), window, limit);
    }
  }

  @Test
  void twoLimitsTakenTogetherEachStayWithinItsBound() throws Exception {
    for (long seed = 201; seed <= 208; seed++) {
      List<List<Admitted>> admitted = race(seed, 200, List.of(
          rng -> LimitRequest.window(counter("fast"), 5, 500, 5, 1),
          rng -> LimitRequest.window(counter("slow"), 300, 3_000, 30, 1 + rng.nextInt(60))),
          20);
      assertEveryWindow(seed, admitted.get(0), 500, 5);
      assertEveryWindow(seed, admitted.get(1), 3_000, 300);
      assertThat(admitted.get(0)).as("all or nothing, seed %d", seed)
          .hasSameSizeAs(admitted.get(1));
    }
  }

  /** Makes one call's request for its limit, with the racer's own random source. */
  private interface Ask {
    LimitRequest next(Random rng);
  }

  /**
   * 64 racers, {@code perThread} acquisitions each, every one asking for every limit of {@code
   * asks}; each racer moves the shared clock by 0 to {@code maxStep} ms before a third of
   * its acquisitions. Returns the admissions per limit, at the times the store counted them.
   */
  private static List<List<Admitted>> race(long seed, int perThread, List<Ask> asks, int maxStep)
      throws Exception {
    InMemoryLimitStore store = new InMemoryLimitStore();
    AtomicLong clock = new AtomicLong(1_700_000_000_000L + new Random(seed).nextInt(100_000));
    List<ConcurrentLinkedQueue<Admitted>> out = new ArrayList<>();
    asks.forEach(a -> out.add(new ConcurrentLinkedQueue<>()));
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Random rng = new Random(seed * 1_000 + t);
      done.add(POOL.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          if (rng.nextInt(3) == 0) {
            clock.addAndGet(rng.nextInt(maxStep + 1));
          }
          List<LimitRequest> requests = new ArrayList<>(asks.size());
          for (Ask ask : asks) {
            requests.add(ask.next(rng));
          }
          Acquisition a = store.acquire(requests, clock.get());
          if (a.isAdmitted()) {
            for (int k = 0; k < requests.size(); k++) {
              out.get(k).add(new Admitted(a.countedAtMillis(k), requests.get(k).amount()));
            }
          } else {
            assertThat(a.retryAfter()).isNotNull();
            assertThat(a.retryAfter().toMillis()).isBetween(1L, 4_000L);
          }
        }
        return null;
      }));
    }
    long start = clock.get();
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    // the steps are seeded per racer, so their sum is the same whatever the interleaving: no
    // racer's clock reading can be a minute behind the counter's (the store's step-back limit)
    assertThat(clock.get() - start).as("the clock moved").isBetween(10_000L, 59_999L);
    List<List<Admitted>> result = new ArrayList<>();
    out.forEach(q -> result.add(new ArrayList<>(q)));
    return result;
  }

  /** Every window {@code [s, s + W)} of the recorded times holds at most {@code limit}. */
  static void assertEveryWindow(long seed, List<Admitted> admitted, long window, long limit) {
    List<Admitted> sorted = new ArrayList<>(admitted);
    sorted.sort(Comparator.comparingLong(Admitted::at));
    assertThat(sorted).as("seed %d admitted something", seed).isNotEmpty();
    long sum = 0;
    long most = 0;
    int end = 0;
    // the heaviest window starts at an admission: slide its start over them
    for (int start = 0; start < sorted.size(); start++) {
      while (end < sorted.size() && sorted.get(end).at() < sorted.get(start).at() + window) {
        sum += sorted.get(end++).amount();
      }
      most = Math.max(most, sum);
      assertThat(sum).as("seed %d: window from %d ms holds %d > %d", seed,
          sorted.get(start).at(), sum, limit).isLessThanOrEqualTo(limit);
      sum -= sorted.get(start).amount();
    }
    assertThat(most).as("seed %d: the race reached the limit", seed).isGreaterThan(limit / 2);
  }
}
