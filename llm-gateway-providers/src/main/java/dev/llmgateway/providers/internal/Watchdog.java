package dev.llmgateway.providers.internal;

import dev.llmgateway.internal.TimerWheel;
import okhttp3.Call;

/**
 * Cancels a call at the attempt's deadline: a unary call that has not answered in full by then, a
 * streamed call whose response has not started. (OkHttp's call timeout would also cut a long,
 * healthy stream short, and arms okio's {@code AsyncTimeout}, whose one queue lock every call in
 * the JVM takes twice.) On the shared {@link TimerWheel}, so arming and stopping it per call takes
 * no lock and wakes no thread; a stopped watchdog keeps nothing alive.
 *
 * <p>It runs {@link Call#cancel()} on the wheel's thread, which is the one exception to "timers
 * only fire": OkHttp's cancel does no I/O and takes no lock a caller can hold — HTTP/1 closes the
 * raw socket, HTTP/2 queues its {@code RST_STREAM} on the connection's task runner — and is what
 * OkHttp's own watchdog thread does for its call timeouts. Nothing else runs here.
 */
public final class Watchdog implements Runnable {
  private final Call call;
  private final TimerWheel.Timer timer;
  private volatile boolean fired;

  private Watchdog(Call call, long nanos) {
    this.call = call;
    this.timer = TimerWheel.shared().schedule(this, Math.max(1, nanos));
  }

  /** Cancels the call when it has not been stopped within {@code nanos}. */
  public static Watchdog start(Call call, long nanos) {
    return new Watchdog(call, nanos);
  }

  /** The deadline fired: cancel the call. On the wheel's thread only. */
  @Override
  public void run() {
    fired = true;
    call.cancel();
  }

  /** The response started (or, for a unary call, was read): stop watching. */
  public void stop() {
    timer.cancel();
  }

  /** Whether the deadline passed and the call was cancelled for it. */
  public boolean fired() {
    return fired;
  }
}
