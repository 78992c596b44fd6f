package dev.llmgateway.core.internal.health;

import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The evidence a closed circuit trips on: attempts and failures in a sliding time window of ten
 * buckets, and the failures in a row, judged against a {@link CircuitBreakerPolicy}.
 *
 * <p>A bucket covers a tenth of {@link CircuitBreakerPolicy#slidingWindow()}, aligned to the
 * clock's epoch; the window at {@code now} is the bucket holding {@code now} and the nine before
 * it. Each slot of the ring holds the bucket of one tenth; the first outcome of a later tenth
 * swaps in a fresh bucket (one small allocation per bucket period, none per outcome).
 *
 * <p>Thread-safe and lock-free: recording is one atomic add per count (a failure adds to calls
 * before failures, and readers read failures before calls, so a bucket never shows more failures
 * than calls), a success resets the failures in a row only when there are some. Outcomes that race
 * each other count in some serial order. An outcome stamped a whole window earlier than the bucket
 * now in its slot is already outside the window and is dropped.
 */
final class FailureWindow {
  /** Buckets of the sliding window, each a tenth of it. */
  static final int BUCKETS = 10;

  private static final Bucket CLEARED = new Bucket(Long.MIN_VALUE);

  private final long bucketMillis;
  private final double rateThreshold;
  private final int minimumCalls;
  private final int consecutiveThreshold;
  private final Duration span;
  private final AtomicReferenceArray<Bucket> buckets = new AtomicReferenceArray<>(BUCKETS);
  private final AtomicInteger consecutiveFailures = new AtomicInteger();

  FailureWindow(CircuitBreakerPolicy policy) {
    this.span = policy.slidingWindow();
    this.bucketMillis = Math.max(1, Millis.of(span) / BUCKETS);
    this.rateThreshold = policy.failureRateThreshold();
    this.minimumCalls = policy.minimumCalls();
    this.consecutiveThreshold = policy.consecutiveFailures();
    clearBuckets();
  }

  /** Counts a success at {@code now} and ends any run of failures. */
  void recordSuccess(long now) {
    Bucket b = bucket(now);
    if (b != null) {
      Bucket.CALLS.getAndAdd(b, 1L);
    }
    // read before writing: a run of successes leaves the shared counter's cache line alone
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  /**
   * Counts a failure at {@code now}.
   *
   * @return the failures in a row, this one included (saturating at {@link Integer#MAX_VALUE})
   */
  int recordFailure(long now) {
    Bucket b = bucket(now);
    if (b != null) {
      Bucket.CALLS.getAndAdd(b, 1L);
      Bucket.FAILURES.getAndAdd(b, 1L);
    }
    return consecutiveFailures.updateAndGet(n -> n < Integer.MAX_VALUE ? n + 1 : n);
  }

  /**
   * Why a closed circuit should open, given the failures in a row just returned by
   * {@link #recordFailure(long)}; null when it should stay closed. Failures in a row win over the
   * failure rate, which counts only once the window holds
   * {@link CircuitBreakerPolicy#minimumCalls()} attempts.
   */
  @Nullable String tripReason(long now, int inARow) {
    if (inARow >= consecutiveThreshold) {
      return inARow == 1 ? "after a failure" : "after " + inARow + " consecutive failures";
    }
    Counts counts = counts(now);
    long calls = counts.calls();
    long failures = counts.failures();
    if (calls >= minimumCalls && (double) failures / calls >= rateThreshold) {
      return "after " + failures + " failures in " + calls + " attempts ("
          + Math.round(100.0 * failures / calls) + "%) within " + span;
    }
    return null;
  }

  /** The attempts and failures in the window at {@code now}. */
  Counts counts(long now) {
    long epoch = now / bucketMillis;
    long calls = 0;
    long failures = 0;
    for (int i = 0; i < BUCKETS; i++) {
      Bucket b = buckets.get(i);
      if (b.epoch <= epoch && b.epoch > epoch - BUCKETS) {
        failures += (long) Bucket.FAILURES.getVolatile(b);
        calls += (long) Bucket.CALLS.getVolatile(b);
      }
    }
    return new Counts(calls, failures);
  }

  /** Failures since the last success (or the last {@link #clear()}). */
  int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /**
   * Forgets every outcome: the window and the failures in a row start again. An outcome recorded
   * concurrently counts as if it came before.
   */
  void clear() {
    clearBuckets();
    consecutiveFailures.set(0);
  }

  private void clearBuckets() {
    for (int i = 0; i < BUCKETS; i++) {
      buckets.set(i, CLEARED);
    }
  }

  /**
   * The bucket of {@code now}, swapped into its slot if the slot holds an older one; null when the
   * slot already holds a bucket a whole window later.
   */
  private @Nullable Bucket bucket(long now) {
    long epoch = now / bucketMillis;
    int i = (int) Math.floorMod(epoch, (long) BUCKETS);
    while (true) {
      Bucket b = buckets.get(i);
      if (b.epoch == epoch) {
        return b;
      }
      if (b.epoch > epoch) {
        return null;
      }
      Bucket fresh = new Bucket(epoch);
      if (buckets.compareAndSet(i, b, fresh)) {
        return fresh;
      }
    }
  }

  /**
   * Attempts and failures counted in a window.
   *
   * @param calls attempts counted, failures included
   * @param failures failures counted
   */
  record Counts(long calls, long failures) {
    /** The share of failures among the attempts; 0 when there are none. */
    double failureRate() {
      return calls == 0 ? 0 : (double) failures / calls;
    }
  }

  /** One tenth of the window: its epoch (clock millis / bucket millis) and counts. */
  private static final class Bucket {
    static final VarHandle CALLS;
    static final VarHandle FAILURES;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        CALLS = lookup.findVarHandle(Bucket.class, "calls", long.class);
        FAILURES = lookup.findVarHandle(Bucket.class, "failures", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long epoch;
    private volatile long calls; // through CALLS
    private volatile long failures; // through FAILURES

    Bucket(long epoch) {
      this.epoch = epoch;
    }
  }
}
