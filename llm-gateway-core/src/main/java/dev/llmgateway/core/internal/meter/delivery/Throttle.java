package dev.llmgateway.core.internal.meter.delivery;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Says yes at most once per interval (the first time at once): for log lines. Lock-free. */
final class Throttle {
  private static final long INTERVAL = TimeUnit.MINUTES.toNanos(1);

  private final AtomicLong next = new AtomicLong(System.nanoTime());

  boolean due() {
    long now = System.nanoTime();
    long n = next.get();
    return now - n >= 0 && next.compareAndSet(n, now + INTERVAL);
  }
}
