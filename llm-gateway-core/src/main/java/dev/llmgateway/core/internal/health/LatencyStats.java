package dev.llmgateway.core.internal.health;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One deployment's load and speed: the attempts in flight (for the least-busy strategy), a moving
 * average of successful latencies (for the lowest-latency strategy) and the last
 * {@value #SAMPLES} successful latencies (for hedging's percentile and the health snapshot).
 *
 * <p>Thread-safe and lock-free: starting or ending an attempt is one atomic add; a latency is one
 * atomic increment, one store into a ring and one compare-and-set loop on the average. Reading a
 * percentile copies and sorts the ring: call it per decision, not per event.
 */
final class LatencyStats {
  /** Successful latencies kept for percentiles (a power of two). */
  static final int SAMPLES = 256;

  private static final int RING_MASK = SAMPLES - 1;
  private static final long EMPTY = -1;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLongArray ring = new AtomicLongArray(SAMPLES);
  private final AtomicLong recorded = new AtomicLong();
  /** Exponentially weighted moving average of successful latencies (weight 1/8); -1 when none. */
  private final AtomicLong ewma = new AtomicLong(-1);

  LatencyStats() {
    for (int i = 0; i < SAMPLES; i++) {
      ring.set(i, EMPTY);
    }
  }

  /** An attempt started. */
  void started() {
    inFlight.incrementAndGet();
  }

  /** An attempt ended, whatever its outcome. */
  void ended() {
    inFlight.decrementAndGet();
  }

  /** Attempts started and not yet ended. */
  int inFlight() {
    return inFlight.get();
  }

  /** Keeps a successful attempt's latency; a negative one counts as zero. */
  void record(long latencyNanos) {
    long sample = Math.max(0, latencyNanos);
    ring.set((int) (recorded.getAndIncrement() & RING_MASK), sample);
    long prev;
    long next;
    do {
      prev = ewma.get();
      next = prev < 0 ? sample : prev + ((sample - prev) >> 3);
    } while (!ewma.compareAndSet(prev, next));
  }

  /** The moving average (each new sample weighs 1/8), in nanoseconds; -1 before the first. */
  long ewmaNanos() {
    return ewma.get();
  }

  /**
   * The latency at a percentile of the kept samples, by nearest rank, in nanoseconds; -1 when
   * there are none.
   *
   * @param percentile a fraction in [0, 1], e.g. 0.95 for p95
   * @throws IllegalArgumentException when the percentile is outside [0, 1] or NaN
   */
  long percentileNanos(double percentile) {
    if (!(percentile >= 0 && percentile <= 1)) {
      throw new IllegalArgumentException(
          "percentile must be a fraction in [0, 1] (0.95 for p95), was " + percentile);
    }
    long[] sorted = new long[SAMPLES];
    int n = sortedInto(sorted);
    return n == 0 ? -1 : nearestRank(sorted, n, percentile);
  }

  /**
   * Copies the kept samples into {@code into} (at least {@value #SAMPLES} long), sorts them and
   * returns how many there are.
   */
  int sortedInto(long[] into) {
    int n = 0;
    for (int i = 0; i < SAMPLES; i++) {
      long v = ring.get(i);
      if (v != EMPTY) {
        into[n++] = v;
      }
    }
    Arrays.sort(into, 0, n);
    return n;
  }

  /**
   * The nearest-rank percentile of the first {@code n} sorted samples (n at least 1): the smallest
   * sample with at least that share of samples at or below it. The fraction is taken in
   * millionths so that 0.07 of 100 is rank 7, not 8.
   */
  static long nearestRank(long[] sorted, int n, double percentile) {
    long millionths = Math.round(percentile * 1_000_000);
    long rank = (millionths * n + 999_999) / 1_000_000;
    return sorted[(int) Math.min(n, Math.max(1, rank)) - 1];
  }
}
