package dev.llmgateway.core.internal.call;

import dev.llmgateway.internal.TimerWheel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Where the gateway's timers run: the shared {@link TimerWheel}, or a scheduler the user gave. */
public interface Timers {

  /** Runs {@code task} once, after {@code delayNanos} (or a little later), unless cancelled. */
  public TimerWheel.Timer schedule(Runnable task, long delayNanos);

  /** Timers on the wheel the gateway and the transports share. */
  public static Timers shared() {
    return TimerWheel.shared()::schedule;
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
}
