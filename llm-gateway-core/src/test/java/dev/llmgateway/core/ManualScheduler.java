package dev.llmgateway.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A scheduler for {@code GatewayBuilder.scheduler(...)} whose delayed tasks run only when a test
 * fires them, on the firing thread: a task cancelled before is skipped; one cancelled while it
 * fires runs, as on a real timer. Thread-safe.
 */
public final class ManualScheduler extends ScheduledThreadPoolExecutor {
  private final Map<ScheduledFuture<?>, Runnable> tasks = new LinkedHashMap<>();
  private final Map<ScheduledFuture<?>, Duration> delays = new LinkedHashMap<>();

  /** A scheduler with nothing due. */
  public ManualScheduler() {
    super(1);
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    ScheduledFuture<?> handle = super.schedule(() -> { }, 1, TimeUnit.DAYS);
    tasks.put(handle, command);
    delays.put(handle, Duration.ofNanos(unit.toNanos(delay)));
    return handle;
  }

  /** The delays asked for and not yet fired, in order. */
  public synchronized List<Duration> delays() {
    return List.copyOf(delays.values());
  }

  /** Runs every task scheduled and not cancelled so far; returns null (for a Callable). */
  public Void fireAll() {
    fire(null);
    return null;
  }

  /** Runs the tasks scheduled with {@code delay} (every one, when null) and not cancelled. */
  public void fire(@Nullable Duration delay) {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      java.util.Iterator<Map.Entry<ScheduledFuture<?>, Duration>> it = delays.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<ScheduledFuture<?>, Duration> e = it.next();
        if (delay == null || e.getValue().equals(delay)) {
          Runnable task = tasks.remove(e.getKey());
          if (!e.getKey().isCancelled()) {
            due.add(task);
          }
          it.remove();
        }
      }
    }
    due.forEach(Runnable::run);
  }
}
