package dev.llmgateway.it.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs every delayed task at once and records the delay it was asked for: tests
 * of backoff read the waits the gateway chose without waiting them.
 */
final class InstantScheduler extends ScheduledThreadPoolExecutor {
  private final List<Duration> delays = new CopyOnWriteArrayList<>();

  InstantScheduler() {
    super(1, r -> {
      Thread t = new Thread(r, "instant-scheduler");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
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
