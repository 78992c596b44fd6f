package dev.llmgateway.core.limit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One sliding window: {@code N + 1} bucket counts in a ring (bucket {@code k} at slot {@code k mod
 * (N + 1)}) holding exactly the buckets {@code newest - N .. newest}, kept so that an admission is
 * one compare-and-set and allocates nothing.
 *
 * <p><b>Frames.</b> The counter's state is its current {@link Frame}: the newest bucket, the sum of
 * the {@code N} older buckets' counts ({@code base}, fixed for the frame), and the newest bucket's
 * count ({@code current}, the word admissions set; the frame also keeps the newest time counted
 * at). An admission of {@code a} is a
 * compare-and-set of {@code current} from {@code c} to {@code c + a} when {@code base + c + a} is
 * within the limit: the check and the add are one atomic step over the whole window, so the window
 * is never looser than its limit however many threads take at once. Nothing else moves on that
 * path but the newest time counted at (a compare-and-set when the clock has moved on), and no
 * thread ever waits for another there.
 *
 * <p><b>Sealing.</b> What changes an older bucket — moving to a newer bucket, adjusting a bucket
 * behind the newest (a call's settlement), starting afresh — first <i>seals</i> the frame (a
 * compare-and-set of {@code current} to {@link #SEALED}, after which no admission can land in it),
 * then writes the ring, which only a frame's sealer touches, and publishes a successor frame that
 * carries the sealed count over. Between the two, a few dozen instructions, other threads see the
 * sealed frame and wait for its successor ({@link #awaitSuccessor}); this happens once per bucket
 * (a second for a minute in 60 buckets) and once per settlement that lands behind the newest
 * bucket, not per admission. Each successor is one small object; the ring is shared, not copied.
 *
 * <p><b>Time.</b> A request is counted in the newest bucket, at its own time or at the newest time
 * counted at before it, whichever is later (a thread that read the clock a moment before another
 * is counted at the other's time): time never goes back within a counter, as in the Redis store's
 * script, which answers the same. A clock stepped back by more than {@link #maxStepBack} starts
 * the counter afresh.
 */
final class WindowCounter extends Counter {
  /** {@code current} of a frame that is no longer the counter's state. */
  private static final long SEALED = Long.MIN_VALUE;
  /** The {@code bucket} of the empty frame a counter starts with. */
  private static final long NO_BUCKET = Long.MIN_VALUE;
  /** Spins on a sealed frame before yielding the processor to its sealer. */
  private static final int SPINS = 64;

  private static final VarHandle CURRENT;
  private static final VarHandle NEWEST;
  private static final VarHandle FRAME;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CURRENT = lookup.findVarHandle(Frame.class, "current", long.class);
      NEWEST = lookup.findVarHandle(Frame.class, "newestMillis", long.class);
      FRAME = lookup.findVarHandle(WindowCounter.class, "frame", Frame.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The counter's state. Immutable but for {@code current}; the ring {@code counts} is shared with
   * its predecessors and successors and written only by the thread that sealed the frame it
   * belongs to (so a reader of the ring validates that the frame was not sealed meanwhile).
   */
  private static final class Frame {
    final long windowMillis;
    final int buckets;
    final long bucketMillis;
    final long[] counts;
    final long bucket;
    final long openedMillis;
    final long base;
    volatile long current;
    /** The newest time counted at in this frame: never goes back. */
    volatile long newestMillis;

    Frame(long windowMillis, int buckets, long bucketMillis, long[] counts, long bucket,
        long openedMillis, long base, long current) {
      this.windowMillis = windowMillis;
      this.buckets = buckets;
      this.bucketMillis = bucketMillis;
      this.counts = counts;
      this.bucket = bucket;
      this.openedMillis = openedMillis;
      this.base = base;
      this.current = current;
      this.newestMillis = openedMillis;
    }

    /** An empty frame of the request's window shape, with a new ring. */
    static Frame empty(LimitRequest request) {
      return new Frame(request.windowMillis(), request.buckets(), request.bucketMillis(),
          new long[request.buckets() + 1], NO_BUCKET, 0, 0, 0);
    }

    /** The successor of this (sealed) frame, on the same ring. */
    Frame next(long bucket, long openedMillis, long base, long current) {
      return new Frame(windowMillis, buckets, bucketMillis, counts, bucket, openedMillis, base,
          current);
    }

    boolean fits(LimitRequest request) {
      return request.windowMillis() == windowMillis && request.buckets() == buckets;
    }

    boolean seal(long current) {
      return CURRENT.compareAndSet(this, current, SEALED);
    }

    /**
     * The time to count at {@code now} (in this frame's bucket or before it): the newest time
     * counted at so far, moved to {@code now} when that is newer.
     */
    long moveTo(long now) {
      for (;;) {
        long newest = newestMillis;
        if (now <= newest || NEWEST.compareAndSet(this, newest, now)) {
          return Math.max(now, newest);
        }
      }
    }

    int slot(long bucket) {
      return (int) Math.floorMod(bucket, (long) buckets + 1);
    }
  }

  private volatile Frame frame;
  private volatile boolean dead;
  /** Runs between a retirement's idle check and its seal; for tests, null otherwise. */
  @Nullable Runnable beforeRetiring;

  WindowCounter(LimitRequest request) {
    frame = Frame.empty(request);
  }

  @Override
  long take(LimitRequest request, long now) {
    long amount = request.amount();
    for (;;) {
      Frame f = frame;
      long c = f.current;
      if (c == SEALED) {
        if (dead) {
          return DEAD;
        }
        awaitSuccessor(f);
        continue;
      }
      if (!f.fits(request)) {
        // the limit's window changed at run time: count afresh
        if (f.seal(c)) {
          FRAME.setVolatile(this, Frame.empty(request));
        }
        continue;
      }
      if (f.bucket == NO_BUCKET || now < f.newestMillis - maxStepBack(f)) {
        if (f.seal(c)) {
          Arrays.fill(f.counts, 0);
          FRAME.setVolatile(this, f.next(now / f.bucketMillis, now, 0, 0));
        }
        continue;
      }
      long k = now / f.bucketMillis;
      if (k > f.bucket) {
        if (f.seal(c)) {
          rotate(f, c, k, now);
        }
        continue;
      }
      long at = f.moveTo(now);
      if (amount > request.limit()) {
        return refused(-1); // never fits
      }
      if (f.base + c + amount > request.limit()) {
        long retryAfter = retryAfter(f, c, f.base + c + amount - request.limit(), at);
        if (retryAfter == RETRY) {
          continue; // the frame moved while its ring was read
        }
        return refused(retryAfter);
      }
      if (CURRENT.compareAndSet(f, c, c + amount)) {
        return at;
      }
    }
  }

  /**
   * Moves the window of sealed frame {@code f} (its newest bucket held {@code c}) to bucket {@code
   * k}: the newest count goes into the ring, the buckets that leave the window are cleared (at most
   * {@code N + 1}), and the successor starts bucket {@code k} at 0.
   */
  private void rotate(Frame f, long c, long k, long now) {
    long[] counts = f.counts;
    long steps = k - f.bucket;
    long base;
    if (steps > f.buckets) {
      Arrays.fill(counts, 0);
      base = 0;
    } else {
      counts[f.slot(f.bucket)] = c;
      base = f.base + c;
      for (long j = 1; j <= steps; j++) {
        int s = f.slot(f.bucket + j);
        base -= counts[s];
        counts[s] = 0;
      }
    }
    FRAME.setVolatile(this, f.next(k, now, base, 0));
  }

  /**
   * How far behind the newest time counted at a request may be and still be counted in its newest
   * bucket: two windows, at least a minute. A thread that read the clock a moment before another
   * stays well within it; a clock stepped back by more restarts the counter (its last window's
   * counts are forgotten, once) instead of holding the counter at its old newest time until the
   * clock catches up.
   */
  private static long maxStepBack(Frame f) {
    return Math.max(2 * f.windowMillis, 60_000L);
  }

  /** What {@link #retryAfter} returns when the frame was sealed while its ring was read. */
  private static final long RETRY = Long.MIN_VALUE;

  /**
   * The time until {@code excess} more has left the window of frame {@code f} (newest count {@code
   * c}): bucket {@code newest - N + j} leaves when bucket {@code newest + j + 1} begins; {@link
   * #RETRY} when {@code f} was sealed meanwhile, so the ring may have been mid-write.
   */
  private static long retryAfter(Frame f, long c, long excess, long at) {
    long freed = 0;
    long result = -1; // unreachable while the amount fits the limit
    for (int j = 0; j <= f.buckets; j++) {
      freed += j == f.buckets ? c : f.counts[f.slot(f.bucket - f.buckets + j)];
      if (freed >= excess) {
        result = (f.bucket + j + 1) * f.bucketMillis - at;
        break;
      }
    }
    VarHandle.acquireFence(); // the ring's reads before the check, as StampedLock.validate
    return f.current != SEALED ? result : RETRY;
  }

  @Override
  void adjust(LimitRequest request, long countedAtMillis, long delta) {
    for (;;) {
      Frame f = frame;
      long c = f.current;
      if (c == SEALED) {
        if (dead) {
          return;
        }
        awaitSuccessor(f);
        continue;
      }
      if (!f.fits(request) || f.bucket == NO_BUCKET) {
        return;
      }
      long k = countedAtMillis / f.bucketMillis;
      if (k > f.bucket || k < f.bucket - f.buckets) {
        return; // out of the window: it counts no more
      }
      if (k == f.bucket) {
        if (CURRENT.compareAndSet(f, c, Math.max(0, c + delta))) {
          return;
        }
        continue;
      }
      if (f.seal(c)) {
        int s = f.slot(k);
        long was = f.counts[s];
        long next = Math.max(0, was + delta);
        f.counts[s] = next;
        FRAME.setVolatile(this, f.next(f.bucket, f.newestMillis, f.base + next - was, c));
        return;
      }
    }
  }

  /**
   * Waits while {@code f}, sealed, is still the counter's frame: its sealer is between the seal and
   * publishing the successor, a few dozen instructions. Spins briefly, then yields the processor,
   * which lets a sealer the scheduler preempted run on a machine with fewer cores than threads.
   */
  private void awaitSuccessor(Frame f) {
    for (int i = 0; frame == f && !dead; i++) {
      if (i < SPINS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  @Override
  void release(String leaseId) {
    // a window holds no slots
  }

  /** Idle once every bucket it counted in has left the window; then sealed for good. */
  @Override
  boolean retireIfIdle(long now) {
    for (;;) {
      Frame f = frame;
      long c = f.current;
      if (c == SEALED) {
        if (dead) {
          return true;
        }
        awaitSuccessor(f);
        continue;
      }
      if (f.bucket != NO_BUCKET && now / f.bucketMillis - f.bucket <= f.buckets) {
        return false;
      }
      Runnable hook = beforeRetiring;
      if (hook != null) {
        hook.run();
      }
      if (f.seal(c)) {
        dead = true;
        return true;
      }
    }
  }

  @Override
  boolean isSlots() {
    return false;
  }

  /** The counts of the buckets still in the window at {@code now}, for tests. */
  long countAt(long now) {
    for (;;) {
      Frame f = frame;
      long c = f.current;
      if (c == SEALED) {
        if (dead) {
          return 0;
        }
        awaitSuccessor(f);
        continue;
      }
      if (f.bucket == NO_BUCKET) {
        return 0;
      }
      long k = Math.max(now / f.bucketMillis, f.bucket);
      long sum = 0;
      for (long b = Math.max(k - f.buckets, f.bucket - f.buckets); b <= f.bucket; b++) {
        sum += b == f.bucket ? c : f.counts[f.slot(b)];
      }
      VarHandle.acquireFence();
      if (f.current != SEALED) {
        return sum;
      }
    }
  }
}
