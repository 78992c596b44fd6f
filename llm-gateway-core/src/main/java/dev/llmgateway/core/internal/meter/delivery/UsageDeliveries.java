package dev.llmgateway.core.internal.meter.delivery;

import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.UsageSinkSetting;
import dev.llmgateway.core.usage.UsageDeliveryStats;
import dev.llmgateway.spi.UsageSink;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's usage delivery: one {@link Lane} per configured sink, in the order configured —
 * an {@link InlineLane} calls its sink on the thread that ends the call, a {@link QueueLane} puts
 * the record in its sink's queue. The metering step hands each record here once ({@link
 * #accept}), on the thread that ends the call; nothing here throws. Thread-safe.
 */
public final class UsageDeliveries implements UsageSink {
  private static final Logger LOG = LoggerFactory.getLogger(UsageDeliveries.class);
  private final Lane[] lanes;
  private final UsageSink[] sinks;
  private final long[] drainNanos;

  /** Lanes for the sinks; asynchronous ones start their delivery thread now. */
  public UsageDeliveries(List<UsageSinkSetting> sinks) {
    lanes = new Lane[sinks.size()];
    this.sinks = new UsageSink[sinks.size()];
    drainNanos = new long[sinks.size()];
    for (int i = 0; i < lanes.length; i++) {
      UsageSinkSetting s = sinks.get(i);
      this.sinks[i] = s.sink();
      String name = (i + 1) + "-" + nameOf(s.sink());
      lanes[i] = s.delivery().isInline() ? new InlineLane(s.sink(), name)
          : new QueueLane(s.sink(), name, s.delivery());
      drainNanos[i] = s.delivery().drainTimeout().toNanos();
    }
  }

  /** Whether there is no sink at all. */
  public boolean isEmpty() {
    return lanes.length == 0;
  }

  @Override
  public void accept(UsageRecord record) {
    for (Lane lane : lanes) {
      lane.offer(record);
    }
  }

  /**
   * Hands a feedback score to every sink on the calling thread (feedback is given rarely, by the
   * application, not per call); a sink that throws is logged and skipped.
   */
  @Override
  public void acceptFeedback(FeedbackRecord feedback) {
    for (UsageSink sink : sinks) {
      try {
        sink.acceptFeedback(feedback);
      } catch (RuntimeException e) {
        LOG.warn("usage sink {} failed to take a feedback record: {}", nameOf(sink),
            e.getClass().getName());
      }
    }
  }

  /**
   * Drains every queue in parallel, each for at most its drain timeout from now, then spills what
   * is left; returns when every lane has.
   */
  public void close() {
    long start = System.nanoTime();
    for (Lane lane : lanes) {
      lane.beginClose();
    }
    for (int i = 0; i < lanes.length; i++) {
      lanes[i].awaitClosed(start + drainNanos[i]);
    }
  }

  /** Each sink's figures, in the order configured. */
  public List<UsageDeliveryStats> stats() {
    List<UsageDeliveryStats> stats = new ArrayList<>(lanes.length);
    for (Lane lane : lanes) {
      stats.add(lane.stats());
    }
    return List.copyOf(stats);
  }

  /** A readable name: the class's simple name, a lambda's declaring class. */
  private static String nameOf(UsageSink sink) {
    String name = sink.getClass().getName();
    name = name.substring(name.lastIndexOf('.') + 1);
    int lambda = name.indexOf("$$");
    if (lambda >= 0) {
      name = name.substring(0, lambda) + "-lambda";
    }
    return name.replace('$', '.');
  }
}
