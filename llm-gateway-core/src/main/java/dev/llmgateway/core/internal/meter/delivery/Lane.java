package dev.llmgateway.core.internal.meter.delivery;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.usage.UsageDeliveryStats;

/** One sink's way of receiving records. Thread-safe. */
interface Lane {

  /** Hands over one record; never throws. */
  void offer(UsageRecord record);

  /** Stops taking records into the queue; what is queued drains on. Returns at once. */
  void beginClose();

  /**
   * Waits for the drain until {@code deadlineNanos} ({@link System#nanoTime()}), then spills what
   * is left.
   */
  void awaitClosed(long deadlineNanos);

  /** The figures so far. */
  UsageDeliveryStats stats();
}
