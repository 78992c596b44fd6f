package dev.llmgateway.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs a race many times. Each round builds fresh state and its racers; the racers spin on one
 * latch and, once it opens, each spins a seeded number of times more before it acts, so that the
 * rounds try many interleavings; then the round checks its guarantee. A failure names the seed and
 * the round.
 */
public final class Race implements AutoCloseable {
  /** One round: the actions that race, and the guarantee that must hold once all have run. */
  public interface Round {
    List<Runnable> racers();

    void check();
  }

  private static final int MAX_SPINS = 64;

  private final ExecutorService pool;
  private final int threads;

  public Race(int threads) {
    this.threads = threads;
    this.pool = Executors.newFixedThreadPool(threads);
  }

  /** Runs {@code rounds} rounds, round {@code r} built by {@code round.apply(r)}. */
  public void run(long seed, int rounds, IntFunction<Round> round) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    for (int r = 0; r < rounds; r++) {
      Round current = round.apply(r);
      List<Runnable> racers = current.racers();
      if (racers.size() > threads) {
        throw new IllegalArgumentException(racers.size() + " racers for " + threads + " threads");
      }
      CountDownLatch ready = new CountDownLatch(racers.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (Runnable racer : racers) {
        int spins = random.nextInt(MAX_SPINS);
        done.add(pool.submit(() -> {
          ready.countDown();
          // spin, not park: parked racers wake tens of microseconds apart and never meet; yield
          // now and then so that a busy machine's other threads (the one opening the gate) run
          for (int i = 1; go.getCount() != 0; i++) {
            if (i % 64 == 0) {
              Thread.yield();
            } else {
              Thread.onSpinWait();
            }
          }
          for (int s = 0; s < spins; s++) {
            Thread.onSpinWait();
          }
          racer.run();
          return null;
        }));
      }
      if (!ready.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("racers did not start, seed " + seed + " round " + r);
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
      try {
        current.check();
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ", round " + r + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("race threads did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the race threads stopped", e);
    }
  }
}
