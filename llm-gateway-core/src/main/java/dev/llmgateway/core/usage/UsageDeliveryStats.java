package dev.llmgateway.core.usage;

import dev.llmgateway.spi.UsageSink;
import java.util.Objects;

/**
 * A snapshot of how one sink's records have fared since its gateway was built ({@code
 * Gateway.usageDelivery()}). Every record the gateway produced for the sink is, once the gateway
 * has closed, in exactly one of delivered, spilled and dropped — except that a batch a stuck sink
 * took after its timeout may have been both delivered and spilled. Immutable.
 */
public final class UsageDeliveryStats {
  private final UsageSink sink;
  private final String name;
  private final UsageDelivery delivery;
  private final long delivered;
  private final long retried;
  private final long spilled;
  private final long dropped;
  private final int queued;
  private final int maxQueued;
  private final int stuckThreads;

  private UsageDeliveryStats(UsageSink sink, String name, UsageDelivery delivery, long delivered,
      long retried, long spilled, long dropped, int queued, int maxQueued, int stuckThreads) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.name = Objects.requireNonNull(name, "name");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.delivered = delivered;
    this.retried = retried;
    this.spilled = spilled;
    this.dropped = dropped;
    this.queued = queued;
    this.maxQueued = maxQueued;
    this.stuckThreads = stuckThreads;
  }

  /**
   * The figures of one sink.
   *
   * @param sink the sink
   * @param name the sink's name in thread names and logs, e.g. {@code 1-JsonLinesUsageSink}
   * @param delivery how its records reach it
   * @param delivered records the sink took
   * @param retried retries of batches the sink threw on
   * @param spilled records written to the dead-letter file
   * @param dropped records lost: dropped on a full queue, or undeliverable with no dead-letter
   *     file (or one that could not be written), or thrown on by an inline sink
   * @param queued records waiting now
   * @param maxQueued the most records that ever waited at once (never above the capacity)
   * @param stuckThreads sink threads abandoned in the sink after a delivery timeout, not yet back
   */
  public static UsageDeliveryStats of(UsageSink sink, String name, UsageDelivery delivery,
      long delivered, long retried, long spilled, long dropped, int queued, int maxQueued,
      int stuckThreads) {
    return new UsageDeliveryStats(sink, name, delivery, delivered, retried, spilled, dropped,
        queued, maxQueued, stuckThreads);
  }

  /** The sink. */
  public UsageSink sink() {
    return sink;
  }

  /** The sink's name in thread names and logs: its position and class, e.g. {@code 1-Foo}. */
  public String name() {
    return name;
  }

  /** How its records reach it. */
  public UsageDelivery delivery() {
    return delivery;
  }

  /** Records the sink took. */
  public long delivered() {
    return delivered;
  }

  /** Retries of batches the sink threw on (one per retry, not per record). */
  public long retried() {
    return retried;
  }

  /** Records written to the dead-letter file. */
  public long spilled() {
    return spilled;
  }

  /** Records lost (see {@link #of}). */
  public long dropped() {
    return dropped;
  }

  /** Records waiting now. */
  public int queued() {
    return queued;
  }

  /** The most records that ever waited at once. */
  public int maxQueued() {
    return maxQueued;
  }

  /** Sink threads abandoned after a delivery timeout and still inside the sink. */
  public int stuckThreads() {
    return stuckThreads;
  }

  @Override
  public String toString() {
    return "UsageDeliveryStats[" + name + ": " + delivered + " delivered, " + retried
        + " retried, " + spilled + " spilled, " + dropped + " dropped, " + queued + " queued (max "
        + maxQueued + "), " + stuckThreads + " stuck threads]";
  }
}
