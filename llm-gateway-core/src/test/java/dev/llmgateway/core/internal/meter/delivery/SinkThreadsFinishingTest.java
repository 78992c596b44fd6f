package dev.llmgateway.core.internal.meter.delivery;

import static dev.llmgateway.core.internal.meter.delivery.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.core.usage.UsageDeliveryStats;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sink thread whose call returned is not at once back for the next batch. The lane used to hand
 * batches over without a queue, so while {@value UsageDelivery#MAX_SINK_THREADS} threads were
 * between returning and taking the next, a batch was refused and dropped as if every thread were
 * stuck in the sink: the core tests, pinned to one CPU, lost 252 of 300 records that way. Here the
 * threads are held there on purpose, every time: the next batch waits for one of them and is
 * delivered.
 */
@Timeout(60)
class SinkThreadsFinishingTest {
  @Test
  void aBatchWaitsForASinkThreadThatIsFinishingInsteadOfBeingDropped() throws Exception {
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    QueueLane lane = new QueueLane(r -> delivered.add(r.callId()), "finishing",
        UsageDelivery.builder().batchSize(1).linger(Duration.ZERO).build());
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger held = new AtomicInteger();
    lane.afterSinkCall = () -> {
      if (held.incrementAndGet() <= UsageDelivery.MAX_SINK_THREADS) {
        awaitQuietly(release); // this sink thread returned its batch and is not back yet
      }
    };
    int records = UsageDelivery.MAX_SINK_THREADS + 1;
    for (int i = 0; i < records; i++) {
      lane.offer(record("call-" + i));
    }

    // every sink thread has returned a batch and is held; the delivery thread has taken the last
    // batch and waits for a thread (or, before the fix, dropped it and went idle)
    while (lane.stats().delivered() < UsageDelivery.MAX_SINK_THREADS
        || lane.stats().queued() > 0 || !waiting(lane)) {
      Thread.onSpinWait();
    }
    assertThat(lane.stats().dropped()).as("a batch dropped while no thread was stuck").isZero();
    release.countDown();
    lane.beginClose();
    lane.awaitClosed(System.nanoTime() + Duration.ofSeconds(30).toNanos());

    UsageDeliveryStats stats = lane.stats();
    assertThat(stats.dropped()).isZero();
    assertThat(stats.delivered()).isEqualTo(records);
    assertThat(delivered).hasSize(records);
  }

  /** Whether the lane's delivery thread is parked: waiting for a sink call, or idle. */
  private static boolean waiting(QueueLane lane) {
    Thread.State state = lane.deliveryThreadState();
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
