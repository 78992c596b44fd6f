package dev.llmgateway.providers.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;

/**
 * Cancels a streamed call whose response does not start before the attempt's deadline. (OkHttp's
 * call timeout would also cut a long, healthy stream short.) One shared daemon thread; a timer is
 * cancelled, and removed, as soon as the response starts.
 */
public final class Watchdog {
  private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "llm-gateway-stream-watchdog");
    t.setDaemon(true);
    return t;
  });

  static {
    TIMER.setRemoveOnCancelPolicy(true);
  }

  private final ScheduledFuture<?> timer;
  private final AtomicBoolean fired;

  private Watchdog(ScheduledFuture<?> timer, AtomicBoolean fired) {
    this.timer = timer;
    this.fired = fired;
  }

  /** Cancels the call when it has not started answering within {@code nanos}. */
  public static Watchdog start(Call call, long nanos) {
    AtomicBoolean fired = new AtomicBoolean();
    ScheduledFuture<?> timer = TIMER.schedule(() -> {
      fired.set(true);
      call.cancel();
    }, Math.max(1, nanos), TimeUnit.NANOSECONDS);
    return new Watchdog(timer, fired);
  }

  /** The response started: stop watching. */
  public void stop() {
    timer.cancel(false);
  }

  /** Whether the deadline passed and the call was cancelled for it. */
  public boolean fired() {
    return fired.get();
  }
}
