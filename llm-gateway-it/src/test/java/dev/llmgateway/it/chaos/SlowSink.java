package dev.llmgateway.it.chaos;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.UsageSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A usage sink that takes its time: it holds the thread that hands it a record for {@link
 * #block()} (as a sink writing to a slow database would), keeps every record, and notes the
 * threads it ran on, so a run can check that no gateway timer thread ever waited for it.
 * Thread-safe.
 */
final class SlowSink implements UsageSink {
  /** The name of the JVM-wide timer wheel's thread, which must only ever fire timers. */
  static final String TIMER_THREAD = "llm-gateway-timers";

  private final Duration block;
  private final ConcurrentLinkedQueue<UsageRecord> records = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> threads = new ConcurrentHashMap<>();

  SlowSink(Duration block) {
    this.block = block;
  }

  /** How long each record holds the thread that hands it over. */
  Duration block() {
    return block;
  }

  @Override
  public void accept(UsageRecord record) {
    threads.merge(Thread.currentThread().getName(), 1, Integer::sum);
    long end = System.nanoTime() + block.toNanos();
    for (long left = block.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left); // the slowness under test, not a wait for another thread
    }
    records.add(record);
  }

  /** Every record so far. */
  List<UsageRecord> records() {
    return List.copyOf(records);
  }

  /** How many records were handed over on a gateway timer thread: 0 is right. */
  int onTimerThreads() {
    return threads.getOrDefault(TIMER_THREAD, 0);
  }
}
