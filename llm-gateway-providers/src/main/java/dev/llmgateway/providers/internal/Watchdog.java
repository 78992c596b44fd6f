package dev.llmgateway.providers.internal;

import dev.llmgateway.internal.TimerWheel;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;

/**
 * Cancels a streamed call whose response does not start before the attempt's deadline. (OkHttp's
 * call timeout would also cut a long, healthy stream short.) On the shared {@link TimerWheel}, so
 * arming and stopping it per call takes no lock and wakes no thread.
 *
 * <p>It runs {@link Call#cancel()} on the wheel's thread, which is the one exception to "timers
 * only fire": OkHttp's cancel does no I/O and takes no lock a caller can hold — HTTP/1 closes the
 * raw socket, HTTP/2 queues its {@code RST_STREAM} on the connection's task runner — and is what
 * OkHttp's own watchdog thread does for its call timeouts. Nothing else runs here.
 */
public final class Watchdog {
  private final TimerWheel.Timer timer;
  private final AtomicBoolean fired;

  private Watchdog(TimerWheel.Timer timer, AtomicBoolean fired) {
    this.timer = timer;
    this.fired = fired;
  }

  /** Cancels the call when it has not started answering within {@code nanos}. */
  public static Watchdog start(Call call, long nanos) {
    AtomicBoolean fired = new AtomicBoolean();
    TimerWheel.Timer timer = TimerWheel.shared().schedule(() -> {
      fired.set(true);
      call.cancel();
    }, Math.max(1, nanos));
    return new Watchdog(timer, fired);
  }

  /** The response started: stop watching. */
  public void stop() {
    timer.cancel();
  }

  /** Whether the deadline passed and the call was cancelled for it. */
  public boolean fired() {
    return fired.get();
  }
}
