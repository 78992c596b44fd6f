package dev.llmgateway.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Cheap timers for per-call deadlines: a hashed wheel of 5 ms ticks on one daemon thread, shared
 * by the gateway's timeouts and hedges and the transports' first-byte watchdogs. Scheduling pushes
 * the timer itself onto a lock-free stack (one compare-and-set, no node allocated) that the wheel
 * takes whole when it wakes, and wakes nobody unless the new timer is due before the wheel's next
 * wake-up; cancelling drops the task (so a cancelled timer keeps nothing of its call alive while it
 * waits for its bucket), so a call that arms a few timeouts and then cancels them costs a few small
 * allocations — where a {@link java.util.concurrent.ScheduledThreadPoolExecutor} takes a lock and
 * wakes its thread whenever a new task becomes the earliest, tens of microseconds per call on a
 * busy core. Timers fire up to one tick late, on the wheel's thread (keep tasks short: cancel a
 * call, hand work to an executor); cancelled ones are dropped when the wheel takes them or when
 * their bucket comes round.
 *
 * <p>The wheel sleeps until the earliest live timer is due, but at most {@link #LOOKAHEAD_NANOS}
 * at a time while timers are being scheduled: a busy gateway's timers (seconds long, cancelled
 * within milliseconds) wake it ten times a second rather than at every tick, and wait in the
 * inbound stack for at most that long. A wheel that has been empty and unused for {@link
 * #LINGER_NANOS} parks until the next schedule unparks it.
 */
public final class TimerWheel implements AutoCloseable {
  /** The wheel's resolution. */
  public static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final int BUCKETS = 512;
  /**
   * How long the wheel keeps ticking with nothing in it before it parks until the next schedule.
   * Calls arm and cancel their timers within a tick, so an empty wheel is the normal state of a
   * busy gateway; parking at once would make every call's {@link #schedule} unpark the wheel's
   * thread, a context switch per call.
   */
  static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
  /**
   * The longest the wheel sleeps while timers are pending or being scheduled: how far ahead it
   * looks for a live timer, and how long a cancelled timer waits in the inbound stack at most.
   */
  static final long LOOKAHEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final System.Logger LOG = System.getLogger(TimerWheel.class.getName());

  /**
   * Timers scheduled since the wheel last looked: a Treiber stack linked through {@link
   * Entry#nextInbound}, pushed by any thread, taken whole by the wheel's thread.
   */
  private final AtomicReference<@Nullable Entry> inbound = new AtomicReference<>();
  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
  private final ArrayDeque<Entry>[] buckets = new ArrayDeque[BUCKETS];
  private final long origin = System.nanoTime();
  private final Thread thread;
  private final int lookaheadTicks;
  /** Whether the wheel parks until the next schedule ({@link #LINGER_NANOS} without work). */
  private volatile boolean idle;
  /**
   * When the wheel wakes next ({@code System.nanoTime()}), unless {@link #idle}: a schedule due
   * earlier unparks it. Published before the wheel takes the inbound stack a last time and parks,
   * so a timer it did not take sees the time it parks until.
   */
  private volatile long wakeAt;
  private volatile boolean closed;
  private long tick; // the next tick to process; wheel thread only
  private int pending; // entries in the wheel; wheel thread only
  private long lastScheduled; // when the wheel last took an entry in; wheel thread only
  private volatile long wakeUps; // written by the wheel thread only
  /** Tests: runs on the wheel's thread after it took the inbound stack, before it publishes. */
  volatile @Nullable Runnable beforePublish;
  private long earliestPlaced; // the earliest due tick place() put in a bucket; wheel thread only

  /** A scheduled task. */
  public interface Timer {
    /** Cancels the task if it has not run; idempotent. */
    void cancel();
  }

  private static final class Shared {
    static final TimerWheel WHEEL = new TimerWheel("llm-gateway-timers");
  }

  /** The wheel the gateway and the built-in transports share; it lives as long as the JVM. */
  public static TimerWheel shared() {
    return Shared.WHEEL;
  }

  /** A wheel with its own daemon thread; close it when done. */
  public TimerWheel(String threadName) {
    this(threadName, LOOKAHEAD_NANOS);
  }

  /** A wheel looking {@code lookaheadNanos} ahead (tests: a long one makes a lost wake-up hang). */
  TimerWheel(String threadName, long lookaheadNanos) {
    lookaheadTicks = (int) Math.max(1, Math.min(BUCKETS - 1, lookaheadNanos / TICK_NANOS));
    wakeAt = origin;
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] = new ArrayDeque<>();
    }
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} once after {@code delayNanos} (up to one tick later), unless cancelled. */
  public Timer schedule(Runnable task, long delayNanos) {
    return schedule(task, delayNanos, null);
  }

  /**
   * Hands {@code task} to {@code executor} once after {@code delayNanos} (up to one tick later),
   * unless cancelled; dropped when the executor refuses it (it has shut down). The wheel's thread
   * only hands it over; with a null executor it runs the task itself.
   */
  public Timer schedule(Runnable task, long delayNanos, @Nullable Executor executor) {
    Entry entry = new Entry(task, System.nanoTime() + Math.max(0, delayNanos), executor);
    for (Entry top = inbound.get(); ; top = inbound.get()) {
      entry.nextInbound = top;
      if (inbound.compareAndSet(top, entry)) {
        break;
      }
    }
    if (idle || entry.deadlineNanos - wakeAt < 0) {
      LockSupport.unpark(thread);
    }
    return entry;
  }

  /** Stops the wheel's thread; pending timers never fire. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }

  /** How many times the wheel's thread has woken (tests). */
  long wakeUps() {
    return wakeUps;
  }

  private void run() {
    while (!closed) {
      wakeUps++;
      long nanos = System.nanoTime();
      takeInbound(nanos);
      long now = (nanos - origin) / TICK_NANOS;
      while (tick <= now) {
        sweep(buckets[(int) (tick % BUCKETS)]);
        tick++;
      }
      if (pending == 0 && nanos - lastScheduled >= LINGER_NANOS) {
        idle = true;
        if (takeInbound(System.nanoTime()) || closed) {
          idle = false;
          continue;
        }
        LockSupport.park(this);
        idle = false;
      } else {
        Runnable hook = beforePublish;
        if (hook != null) {
          hook.run();
        }
        long wakeTick = nextLiveTick();
        long wake = origin + wakeTick * TICK_NANOS;
        wakeAt = wake;
        earliestPlaced = Long.MAX_VALUE;
        if (takeInbound(System.nanoTime()) && earliestPlaced < wakeTick) {
          continue; // a timer came in after the last look, due before wake
        }
        LockSupport.parkNanos(this, wake - System.nanoTime());
      }
    }
  }

  /** Places what the inbound stack holds, oldest first; false when it was empty. */
  private boolean takeInbound(long nanos) {
    Entry taken = inbound.getAndSet(null);
    if (taken == null) {
      return false;
    }
    lastScheduled = nanos;
    Entry oldest = null; // the stack is newest first: reverse it, so timers fire in order
    while (taken != null) {
      Entry next = taken.nextInbound;
      taken.nextInbound = oldest;
      oldest = taken;
      taken = next;
    }
    while (oldest != null) {
      Entry next = oldest.nextInbound;
      oldest.nextInbound = null;
      place(oldest);
      oldest = next;
    }
    return true;
  }

  /**
   * The first tick from {@link #tick} on holding a live timer due then, or the tick {@link
   * #lookaheadTicks} ahead when none is due before it.
   */
  private long nextLiveTick() {
    long last = tick + lookaheadTicks;
    for (long t = tick; t < last; t++) {
      for (Entry e : buckets[(int) (t % BUCKETS)]) {
        if (e.dueTick == t && e.task != null) {
          return t;
        }
      }
    }
    return last;
  }

  private void place(Entry e) {
    if (e.task == null) {
      return;
    }
    long due = Math.max(0, (e.deadlineNanos - origin + TICK_NANOS - 1) / TICK_NANOS);
    if (due < tick) {
      fire(e);
      return;
    }
    e.dueTick = due;
    buckets[(int) (due % BUCKETS)].add(e);
    pending++;
    earliestPlaced = Math.min(earliestPlaced, due);
  }

  private void sweep(ArrayDeque<Entry> bucket) {
    for (Iterator<Entry> it = bucket.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.task == null) {
        it.remove();
        pending--;
      } else if (e.dueTick <= tick) {
        it.remove();
        pending--;
        fire(e);
      }
    }
  }

  private static void fire(Entry e) {
    Runnable task = e.task;
    if (task == null) {
      return;
    }
    e.task = null;
    try {
      if (e.executor != null) {
        e.executor.execute(task);
      } else {
        task.run();
      }
    } catch (RejectedExecutionException closed) {
      // the executor has shut down: nothing waits for this timer any more
    } catch (RuntimeException | Error failure) {
      LOG.log(System.Logger.Level.WARNING, "a timer task failed; this is a bug", failure);
    }
  }

  private static final class Entry implements Timer {
    /** Null once cancelled or fired: a cancelled entry waiting for its bucket holds nothing. */
    volatile @Nullable Runnable task;
    final long deadlineNanos;
    final @Nullable Executor executor;
    long dueTick; // wheel thread only
    /** The entry pushed before this one, while both wait in the inbound stack. */
    @Nullable Entry nextInbound;

    Entry(Runnable task, long deadlineNanos, @Nullable Executor executor) {
      this.task = task;
      this.deadlineNanos = deadlineNanos;
      this.executor = executor;
    }

    @Override
    public void cancel() {
      task = null;
    }
  }
}
