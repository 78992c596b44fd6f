package dev.llmgateway.core.internal.meter.delivery;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.Guard;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.core.usage.UsageDeliveryStats;
import dev.llmgateway.spi.UsageSink;
import java.util.concurrent.atomic.LongAdder;

/** Calls its sink on the thread that ends the call, as gateways always did. Thread-safe. */
final class InlineLane implements Lane {
  private final UsageSink sink;
  private final String name;
  private final Guard guard;
  private final LongAdder delivered = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  InlineLane(UsageSink sink, String name) {
    this.sink = sink;
    this.name = name;
    this.guard = new Guard("usage sink", sink);
  }

  @Override
  public void offer(UsageRecord record) {
    try {
      sink.accept(record);
      delivered.increment();
    } catch (Throwable t) {
      dropped.increment();
      guard.failed("accept", t);
    }
  }

  @Override
  public void beginClose() {}

  @Override
  public void awaitClosed(long deadlineNanos) {}

  @Override
  public UsageDeliveryStats stats() {
    return UsageDeliveryStats.of(sink, name, UsageDelivery.inline(), delivered.sum(), 0, 0,
        dropped.sum(), 0, 0, 0);
  }
}
