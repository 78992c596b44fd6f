package dev.llmgateway.testing.internal;

import dev.llmgateway.spi.AttemptContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The waits of one fake call (a delay, a gate), cancellable from another thread: {@link #cancel()}
 * releases a delay at once and interrupts a thread blocked at a gate (a latch the test owns, so it
 * cannot be released any other way). The interrupt is confined to the gate wait: it is only sent
 * while the thread is registered as waiting, and a late one is cleared before the thread leaves.
 *
 * <p>Thread-safe. Never polls and never sleeps.
 */
public final class Waiter {

  /** How a wait ended. */
  public enum Outcome {
    /** The delay passed or the gate opened. */
    DONE,
    /** {@link #cancel()} was called. */
    CANCELLED,
    /** The deadline passed first. */
    TIMED_OUT,
    /** Someone else interrupted the waiting thread (its interrupt flag is set again). */
    INTERRUPTED
  }

  private final CountDownLatch cancelled = new CountDownLatch(1);
  private @Nullable Thread parked; // guarded by this
  private boolean interruptSent; // guarded by this

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /**
   * Waits for {@code nanos}, or until the deadline (a {@link System#nanoTime()}, or {@link
   * AttemptContext#NO_DEADLINE}) passes, or until cancelled, whichever comes first.
   */
  public Outcome delay(long nanos, long deadlineNanos) {
    long wait = nanos;
    boolean deadlineFirst = false;
    if (deadlineNanos != AttemptContext.NO_DEADLINE) {
      long left = deadlineNanos - System.nanoTime();
      if (left < wait) {
        wait = Math.max(0, left);
        deadlineFirst = true;
      }
    }
    try {
      if (cancelled.await(wait, TimeUnit.NANOSECONDS)) {
        return Outcome.CANCELLED;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.INTERRUPTED;
    }
    return deadlineFirst ? Outcome.TIMED_OUT : Outcome.DONE;
  }

  /**
   * Waits until the gate opens, the deadline (a {@link System#nanoTime()}, or {@link
   * AttemptContext#NO_DEADLINE}) passes, or this waiter is cancelled.
   */
  public Outcome gate(CountDownLatch gate, long deadlineNanos) {
    synchronized (this) {
      if (isCancelled()) {
        return Outcome.CANCELLED;
      }
      parked = Thread.currentThread();
    }
    boolean opened = false;
    boolean interrupted = false;
    try {
      if (deadlineNanos == AttemptContext.NO_DEADLINE) {
        gate.await();
        opened = true;
      } else {
        opened = gate.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    boolean byCancel;
    synchronized (this) {
      parked = null;
      byCancel = interruptSent;
      if (interruptSent) {
        interruptSent = false;
        Thread.interrupted(); // our interrupt may have landed after the wait returned: clear it
      }
    }
    if (byCancel || isCancelled()) {
      return Outcome.CANCELLED;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      return Outcome.INTERRUPTED;
    }
    return opened ? Outcome.DONE : Outcome.TIMED_OUT;
  }

  /** Ends the current and every later wait with {@link Outcome#CANCELLED}. Idempotent. */
  public void cancel() {
    cancelled.countDown();
    synchronized (this) {
      Thread t = parked;
      if (t != null && !interruptSent) {
        interruptSent = true;
        t.interrupt();
      }
    }
  }
}
