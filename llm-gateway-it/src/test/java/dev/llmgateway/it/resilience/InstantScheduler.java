package dev.llmgateway.it.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs every delayed task of the call's timing at once and records the delay it
 * was asked for: tests of backoff read the waits the gateway chose without waiting them. Tasks of
 * a minute or more (or from a shorter bound a test sets) are the gateway's housekeeping and
 * deadlines (a stream that nobody subscribes to expires after ten minutes; a chat call's deadline
 * is ten minutes by default): they are neither run nor recorded.
 */
final class InstantScheduler extends ScheduledThreadPoolExecutor {
  private final List<Duration> delays = new CopyOnWriteArrayList<>();
  private final long housekeepingFromNanos;

  InstantScheduler() {
    this(Duration.ofMinutes(1));
  }

  /** A scheduler that treats delays from {@code housekeepingFrom} on as housekeeping. */
  InstantScheduler(Duration housekeepingFrom) {
    super(1, r -> {
      Thread t = new Thread(r, "instant-scheduler");
      t.setDaemon(true);
      return t;
    });
    this.housekeepingFromNanos = housekeepingFrom.toNanos();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (unit.toNanos(delay) >= housekeepingFromNanos) {
      return super.schedule(command, 1, TimeUnit.DAYS); // housekeeping: never in a test's time
    }
    delays.add(Duration.ofNanos(unit.toNanos(delay)));
    return super.schedule(command, 0, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    delays.add(Duration.ofNanos(unit.toNanos(delay)));
    return super.schedule(callable, 0, unit);
  }

  /** The delays asked for, in order. */
  List<Duration> delays() {
    return List.copyOf(delays);
  }
}
