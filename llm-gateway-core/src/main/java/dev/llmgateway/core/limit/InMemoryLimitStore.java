package dev.llmgateway.core.limit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default {@link LimitStore}: counters in this JVM's memory, for one gateway or several built
 * from one {@link RateLimits}.
 *
 * <p><b>Contention.</b> Counters sit in a {@link ConcurrentHashMap} (no global lock). Concurrency
 * slots are lock-free (a compare-and-set claims a slot). A window's admission is one
 * compare-and-set of its newest bucket's count against the sum of the older buckets, fixed until
 * the window moves (see {@code WindowCounter}); moving to a newer bucket, or a settlement landing
 * in an older one, seals the window for a few dozen instructions. So no caller holds a lock another
 * waits on while it admits, and a caller the scheduler preempts blocks no one. A call with several
 * limits takes their counters one after the other and gives back what it took when a later one
 * refuses (a concurrent call may see that amount for a moment: stricter, never looser).
 *
 * <p><b>Memory is bounded.</b> A window counter costs about {@code 8 × (buckets + 1) + 100} bytes
 * (about 600 bytes for a minute in 60 buckets), a slot counter about 100 bytes per slot held. A
 * counter is removed once idle — every bucket it counted in has left its window, or no slot is held
 * (expired leases are dropped) — by a sweep over the table that runs at most once a minute on the
 * gateway's clock, on the thread of an admission, and at once (at most once a second) when the
 * table is full. At most {@link #maxCounters()} counters are live (plus, for a moment, one per
 * thread creating one). When the table is full even after a sweep, a call whose counter does not
 * exist yet is counted in its limit's one <i>overflow</i> counter, shared by every id that found
 * the table full: such ids are limited together, as if they were one (stricter, never looser),
 * until idle counters make room. So a million distinct user ids cost at most {@code maxCounters}
 * counters, and every id stays within its limit. {@link #overflowed()} counts admissions counted
 * so.
 *
 * <p>Times before the epoch count as the epoch. Thread-safe.
 */
public final class InMemoryLimitStore implements LimitStore {
  /** The default bound on live counters: 100,000 (about 60 MB of minute windows at most). */
  public static final int DEFAULT_MAX_COUNTERS = 100_000;
  /** The id under which the ids that found the table full are counted together. */
  static final String OVERFLOW_ID = "\u0000overflow";
  private static final long SWEEP_EVERY_MILLIS = 60_000;
  private static final long FULL_SWEEP_GAP_MILLIS = 1_000;

  private final int maxCounters;
  private final Map<LimitCounter, Counter> counters = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong nextFullSweep = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder overflowed = new LongAdder();

  /** A store of at most {@link #DEFAULT_MAX_COUNTERS} live counters. */
  public InMemoryLimitStore() {
    this(DEFAULT_MAX_COUNTERS);
  }

  /**
   * A store of at most {@code maxCounters} live counters.
   *
   * @throws IllegalArgumentException when {@code maxCounters} is below 1
   */
  public InMemoryLimitStore(int maxCounters) {
    if (maxCounters < 1) {
      throw new IllegalArgumentException("maxCounters must be at least 1, was " + maxCounters);
    }
    this.maxCounters = maxCounters;
  }

  /** The most live counters before ids are counted in their limit's overflow counter. */
  public int maxCounters() {
    return maxCounters;
  }

  /** The live counters now. */
  public int size() {
    return counters.size();
  }

  /** How many admissions were counted in an overflow counter, because the table was full. */
  public long overflowed() {
    return overflowed.sum();
  }

  @Override
  public Acquisition acquire(List<LimitRequest> requests, long nowMillis) {
    long now = Math.max(0, nowMillis);
    maybeSweep(now);
    int n = requests.size();
    long[] at = new long[n];
    Counter[] taken = new Counter[n];
    for (int i = 0; i < n; i++) {
      LimitRequest request = requests.get(i);
      long result;
      Counter counter;
      do {
        counter = counter(request, now);
        result = counter.take(request, now);
        if (result == Counter.DEAD) {
          counters.remove(request.counter(), counter);
        }
      } while (result == Counter.DEAD);
      if (Counter.isRefusal(result)) {
        undo(requests, taken, at, i);
        return Acquisition.refused(i, Counter.retryAfterOf(result));
      }
      taken[i] = counter;
      at[i] = result;
    }
    for (int i = 0; i < n; i++) {
      if (requests.get(i).isSlot()) {
        at[i] = 0;
      }
    }
    return Acquisition.admitted(at);
  }

  /** Gives back what requests {@code 0 .. end - 1} took. */
  private static void undo(List<LimitRequest> requests, Counter[] taken, long[] at, int end) {
    for (int j = 0; j < end; j++) {
      LimitRequest r = requests.get(j);
      if (r.isSlot()) {
        if (at[j] == 1) { // newly taken, not renewed
          taken[j].release(r.leaseId());
        }
      } else {
        taken[j].adjust(r, at[j], -r.amount());
      }
    }
  }

  /** The request's counter, made when missing; its limit's overflow counter when full. */
  private Counter counter(LimitRequest request, long now) {
    LimitCounter key = request.counter();
    Counter c = counters.get(key);
    if (c != null && c.isSlots() == request.isSlot()) {
      return c;
    }
    if (c != null) { // the limit's kind changed at run time: count afresh
      c.retireIfIdle(Long.MAX_VALUE);
      counters.remove(key, c);
    }
    if (counters.size() >= maxCounters) {
      sweepWhenFull(now);
      if (counters.size() >= maxCounters) {
        overflowed.increment();
        return overflowCounter(request);
      }
    }
    return counters.computeIfAbsent(key, k -> make(request));
  }

  private Counter overflowCounter(LimitRequest request) {
    LimitCounter key = overflowKey(request.counter());
    Counter c = counters.get(key);
    if (c != null && c.isSlots() == request.isSlot()) {
      return c;
    }
    if (c != null) {
      c.retireIfIdle(Long.MAX_VALUE);
      counters.remove(key, c);
    }
    return counters.computeIfAbsent(key, k -> make(request));
  }

  private static LimitCounter overflowKey(LimitCounter counter) {
    return new LimitCounter(counter.limit(), counter.scope(), "", OVERFLOW_ID);
  }

  private static Counter make(LimitRequest request) {
    return request.isSlot() ? new SlotCounter() : new WindowCounter(request);
  }

  @Override
  public void settle(List<Settlement> settlements, long nowMillis) {
    boolean overflows = overflowed.sum() > 0; // read first: an overflow admitted before counts
    for (int i = 0; i < settlements.size(); i++) { // indexed: no iterator per call
      Settlement s = settlements.get(i);
      LimitRequest r = s.request();
      Counter own = counters.get(r.counter());
      if (r.isSlot()) {
        // the slot may have been taken in the overflow counter: release in both (idempotent)
        if (own != null) {
          own.release(r.leaseId());
        }
        Counter overflow = overflows ? counters.get(overflowKey(r.counter())) : null;
        if (overflow != null) {
          overflow.release(r.leaseId());
        }
      } else {
        Counter c = own != null ? own : counters.get(overflowKey(r.counter()));
        if (c != null) {
          c.adjust(r, s.countedAtMillis(), s.delta());
        }
      }
    }
  }

  private void maybeSweep(long now) {
    long next = nextSweep.get();
    if (now >= next && nextSweep.compareAndSet(next, now + SWEEP_EVERY_MILLIS)) {
      sweep(now);
    }
  }

  private void sweepWhenFull(long now) {
    long next = nextFullSweep.get();
    if (now >= next && nextFullSweep.compareAndSet(next, now + FULL_SWEEP_GAP_MILLIS)) {
      sweep(now);
    }
  }

  /** Removes the idle counters (marking each dead first). */
  private void sweep(long now) {
    counters.entrySet().removeIf(e -> e.getValue().retireIfIdle(now));
  }

  /** The count of a window counter in its window at {@code now}, or slots held; for tests. */
  long countOf(LimitCounter counter, long now) {
    Counter c = counters.get(counter);
    if (c instanceof WindowCounter w) {
      return w.countAt(now);
    }
    return c instanceof SlotCounter s ? s.held() : 0;
  }

  @Override
  public String toString() {
    return "InMemoryLimitStore[counters=" + counters.size() + ", maxCounters=" + maxCounters + "]";
  }
}
