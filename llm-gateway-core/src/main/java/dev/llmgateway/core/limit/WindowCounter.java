package dev.llmgateway.core.limit;

import java.util.Arrays;

/**
 * One sliding window: {@code N + 1} bucket counts in a ring (bucket {@code k} at slot {@code k mod
 * (N + 1)}), the newest bucket and time counted at, and the ring's total. The ring holds exactly
 * the buckets {@code newest - N .. newest}: moving to a newer bucket clears the slots of the buckets
 * in between (at most {@code N + 1}), so an admission costs O(1) amortised and never sums the ring.
 *
 * <p>Guarded by its own monitor: a check over {@code N + 1} buckets and the add to one of them must
 * be one step, which a compare-and-set of one slot cannot give (a concurrent admission counted in
 * another bucket would go unseen), and copying the ring per admission would allocate. The monitor
 * is held for a few dozen instructions, and only calls counted under the same counter contend.
 */
final class WindowCounter extends Counter {
  private long windowMillis;
  private int buckets;
  private long bucketMillis;
  private long[] counts;
  private long newestMillis = Long.MIN_VALUE;
  private long newestBucket;
  private long total;

  WindowCounter(LimitRequest request) {
    shape(request);
  }

  private void shape(LimitRequest request) {
    windowMillis = request.windowMillis();
    buckets = request.buckets();
    bucketMillis = request.bucketMillis();
    counts = new long[buckets + 1];
    newestMillis = Long.MIN_VALUE;
    total = 0;
  }

  @Override
  synchronized long take(LimitRequest request, long now) {
    if (dead) {
      return DEAD;
    }
    if (request.windowMillis() != windowMillis || request.buckets() != buckets) {
      shape(request); // the limit's window changed at run time: count afresh
    }
    long at = moveTo(now);
    long amount = request.amount();
    if (amount > request.limit()) {
      return refused(-1); // never fits
    }
    if (total + amount > request.limit()) {
      return refused(retryAfter(total + amount - request.limit(), at));
    }
    counts[slot(newestBucket)] += amount;
    total += amount;
    return at;
  }

  /**
   * Moves the counter's time to {@code now} when it is newer and returns the time to count at:
   * {@code now}, or the newest time counted at when {@code now} is older (time never goes back
   * within a counter); a clock stepped back by more than {@link #maxStepBack()} starts the counter
   * afresh.
   */
  private long moveTo(long now) {
    if (newestMillis == Long.MIN_VALUE || now < newestMillis - maxStepBack()) {
      Arrays.fill(counts, 0);
      total = 0;
      newestMillis = now;
      newestBucket = now / bucketMillis;
      return now;
    }
    if (now <= newestMillis) {
      return newestMillis;
    }
    long k = now / bucketMillis;
    long steps = k - newestBucket;
    if (steps > buckets) {
      Arrays.fill(counts, 0);
      total = 0;
    } else {
      for (long j = 1; j <= steps; j++) {
        int s = slot(newestBucket + j);
        total -= counts[s];
        counts[s] = 0;
      }
    }
    newestBucket = k;
    newestMillis = now;
    return now;
  }

  /**
   * How far behind the counter's newest time a request may be and still be counted at that newest
   * time: two windows, at least a minute. A thread that read the clock a moment before another
   * stays well within it; a clock stepped back by more restarts the counter (its last window's
   * counts are forgotten, once) instead of holding the counter at its old newest time until the
   * clock catches up.
   */
  private long maxStepBack() {
    return Math.max(2 * windowMillis, 60_000L);
  }

  /**
   * The time until {@code excess} more has left the window: bucket {@code newest - N + j} leaves
   * when bucket {@code newest + j + 1} begins.
   */
  private long retryAfter(long excess, long at) {
    long freed = 0;
    for (int j = 0; j <= buckets; j++) {
      freed += counts[slot(newestBucket - buckets + j)];
      if (freed >= excess) {
        return (newestBucket + j + 1) * bucketMillis - at;
      }
    }
    return -1; // unreachable while the amount fits the limit
  }

  @Override
  synchronized void adjust(LimitRequest request, long countedAtMillis, long delta) {
    if (dead || request.windowMillis() != windowMillis || request.buckets() != buckets
        || newestMillis == Long.MIN_VALUE) {
      return;
    }
    long k = countedAtMillis / bucketMillis;
    if (k > newestBucket || k < newestBucket - buckets) {
      return; // out of the window: it counts no more
    }
    int s = slot(k);
    long next = Math.max(0, counts[s] + delta);
    total += next - counts[s];
    counts[s] = next;
  }

  @Override
  synchronized void release(String leaseId) {
    // a window holds no slots
  }

  /** Idle once every bucket it counted in has left the window. */
  @Override
  synchronized boolean retireIfIdle(long now) {
    if (!dead && newestMillis != Long.MIN_VALUE && now / bucketMillis - newestBucket <= buckets) {
      return false;
    }
    dead = true;
    return true;
  }

  @Override
  boolean isSlots() {
    return false;
  }

  /** The counts of the buckets still in the window at {@code now}, for tests. */
  synchronized long countAt(long now) {
    if (newestMillis == Long.MIN_VALUE) {
      return 0;
    }
    long k = Math.max(now, newestMillis) / bucketMillis;
    long sum = 0;
    for (long b = Math.max(k - buckets, newestBucket - buckets); b <= newestBucket; b++) {
      sum += counts[slot(b)];
    }
    return sum;
  }

  private int slot(long bucket) {
    return (int) Math.floorMod(bucket, (long) buckets + 1);
  }
}
