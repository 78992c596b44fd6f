package dev.llmgateway.core.internal.call;

import dev.llmgateway.internal.TimerWheel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the gateway's timers run: the shared {@link TimerWheel}, or a scheduler the user gave. A
 * gateway's timers {@linkplain #handingTo hand} every task to its executor, so the timer thread
 * only fires: no listener, sink, interceptor, subscriber or transport call ever runs on it, and a
 * slow one cannot delay another gateway's timeouts.
 */
public interface Timers {

  /** Runs {@code task} once, after {@code delayNanos} (or a little later), unless cancelled. */
  public TimerWheel.Timer schedule(Runnable task, long delayNanos);

  /** Timers on the wheel the gateway and the transports share. */
  public static Timers shared() {
    return Shared.TIMERS;
  }

  /**
   * These timers, each task handed to {@code executor} when it fires (dropped when the executor
   * refuses it: the gateway has closed). On the shared wheel the wheel hands it over itself, so
   * scheduling allocates no wrapper per timer.
   */
  public static Timers handingTo(Timers timers, Executor executor) {
    if (timers == Shared.TIMERS) {
      TimerWheel wheel = TimerWheel.shared();
      return (task, delayNanos) -> wheel.schedule(task, delayNanos, executor);
    }
    return (task, delayNanos) -> timers.schedule(() -> {
      try {
        executor.execute(task);
      } catch (RejectedExecutionException closed) {
        // the gateway closed its executor: nothing is waiting for this timer any more
      }
    }, delayNanos);
  }

  /** Timers on a scheduler the user owns. */
  public static Timers on(ScheduledExecutorService scheduler) {
    return new Timers() {
      @Override
      public TimerWheel.Timer schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> f = scheduler.schedule(task, Math.max(0, delayNanos),
            TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }
    };
  }

  /** The shared wheel's timers, one instance, so {@link #handingTo} can recognise them. */
  final class Shared {
    static final Timers TIMERS = TimerWheel.shared()::schedule;

    private Shared() {}
  }
}
