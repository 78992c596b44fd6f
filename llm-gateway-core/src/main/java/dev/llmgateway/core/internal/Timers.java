package dev.llmgateway.core.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Where the gateway's timers run: its own {@link TimerWheel}, or a scheduler the user gave. */
interface Timers extends AutoCloseable {

  /** Runs {@code task} once, after {@code delayNanos} (or a little later), unless cancelled. */
  Timer schedule(Runnable task, long delayNanos);

  /** Stops the timers the gateway owns; a scheduler the user gave is left running. */
  @Override
  void close();

  /** A scheduled task. */
  interface Timer {
    /** Cancels the task if it has not run; idempotent. */
    void cancel();
  }

  /** Timers on a scheduler the user owns. */
  static Timers on(ScheduledExecutorService scheduler) {
    return new Timers() {
      @Override
      public Timer schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> f = scheduler.schedule(task, Math.max(0, delayNanos),
            TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void close() {}
    };
  }
}
