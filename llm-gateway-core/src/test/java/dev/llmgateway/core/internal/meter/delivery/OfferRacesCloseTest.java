package dev.llmgateway.core.internal.meter.delivery;

import static dev.llmgateway.core.internal.meter.delivery.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.Race;
import dev.llmgateway.core.internal.call.UsageSinkSetting;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.core.usage.UsageRecordJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.jspecify.annotations.Nullable;

/**
 * Callers hand records over while the gateway closes, thousands of seeded times: every record
 * ends up exactly once in the sink or the dead-letter file — none lost (an offer that lands after
 * the delivery thread left takes its record back), none delivered twice. How often the free race
 * lands an offer after close began depends on the machine (pinned to one CPU it may never), so two
 * more tests force the late orders: every offer after close has finished, and every offer while
 * close waits for a sink call.
 */
@Timeout(120)
class OfferRacesCloseTest {
  private static final int OFFERERS = 3;
  private static final int EACH = 12;

  @TempDir
  Path dir;

  @Test
  void everyRecordOfferedAroundCloseIsDeliveredOrSpilledExactlyOnce() throws Exception {
    try (Race race = new Race(OFFERERS + 1)) {
      race.run(0x5EEDL, 2_000, round -> {
        Path deadLetter = dir.resolve("round-" + round + ".jsonl");
        Map<String, Integer> delivered = new ConcurrentHashMap<>();
        UsageDeliveries deliveries = new UsageDeliveries(List.of(new UsageSinkSetting(
            r -> delivered.merge(r.callId(), 1, Integer::sum),
            UsageDelivery.builder().queueCapacity(8).batchSize(4)
                .blockWhenFull(Duration.ofMillis(1)).deadLetter(deadLetter).build())));
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> racers = new ArrayList<>();
            for (int o = 0; o < OFFERERS; o++) {
              int offerer = o;
              racers.add(() -> {
                for (int i = 0; i < EACH; i++) {
                  deliveries.accept(record(offerer + "-" + i));
                }
              });
            }
            racers.add(deliveries::close);
            return racers;
          }

          @Override
          public void check() {
            Map<String, Integer> all = new ConcurrentHashMap<>(delivered);
            assertThat(delivered.values()).as("delivered twice").allMatch(n -> n == 1);
            try {
              if (Files.exists(deadLetter)) {
                for (String line : Files.readAllLines(deadLetter)) {
                  all.merge(UsageRecordJson.read(line).callId(), 1, Integer::sum);
                }
              }
            } catch (java.io.IOException e) {
              throw new AssertionError(e);
            }
            assertThat(all).as("each record once in the sink or the dead-letter file")
                .hasSize(OFFERERS * EACH);
            assertThat(all.values()).allMatch(n -> n == 1);
            var stats = deliveries.stats().get(0);
            assertThat(stats.delivered() + stats.spilled()).isEqualTo(OFFERERS * EACH);
            assertThat(stats.dropped()).isZero();
          }
        };
      });
    }
  }

  /**
   * Forced order: close has finished before any offer. Every record goes to the dead-letter file,
   * once; none is delivered, none dropped.
   */
  @Test
  void recordsOfferedAfterCloseAreSpilledOnce() throws Exception {
    Path deadLetter = dir.resolve("after-close.jsonl");
    Map<String, Integer> delivered = new ConcurrentHashMap<>();
    UsageDeliveries deliveries = deliveries(delivered, deadLetter, null);
    deliveries.close();
    offerFromThreads(deliveries);

    assertThat(delivered).isEmpty();
    assertOnceEach(delivered, deadLetter);
    var stats = deliveries.stats().get(0);
    assertThat(stats.spilled()).isEqualTo(OFFERERS * EACH);
    assertThat(stats.dropped()).isZero();
  }

  /**
   * Forced order: a sink call is under way and close has begun, waiting for it, when the offers
   * come. Every record ends up once in the sink or the dead-letter file; none is dropped.
   */
  @Test
  void recordsOfferedWhileCloseDrainsEndUpOnce() throws Exception {
    Path deadLetter = dir.resolve("while-closing.jsonl");
    Map<String, Integer> delivered = new ConcurrentHashMap<>();
    CountDownLatch inSink = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    UsageDeliveries deliveries = deliveries(delivered, deadLetter, () -> {
      inSink.countDown();
      await(release);
    });
    deliveries.accept(record("first"));
    assertThat(inSink.await(10, TimeUnit.SECONDS)).as("a sink call began").isTrue();
    Thread closer = new Thread(deliveries::close, "closer");
    closer.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closer.getState() != Thread.State.WAITING
        && closer.getState() != Thread.State.TIMED_WAITING) {
      assertThat(System.nanoTime()).as("close waits for the sink call").isLessThan(deadline);
      Thread.onSpinWait();
    }
    offerFromThreads(deliveries);
    release.countDown();
    closer.join(10_000);
    assertThat(closer.isAlive()).as("close returned").isFalse();

    Map<String, Integer> all = assertOnceEach(delivered, deadLetter);
    assertThat(all).containsKey("first").hasSize(OFFERERS * EACH + 1);
    var stats = deliveries.stats().get(0);
    assertThat(stats.delivered() + stats.spilled()).isEqualTo(OFFERERS * EACH + 1);
    assertThat(stats.dropped()).isZero();
  }

  private static UsageDeliveries deliveries(Map<String, Integer> delivered, Path deadLetter,
      @Nullable Runnable inSink) {
    return new UsageDeliveries(List.of(new UsageSinkSetting(r -> {
      if (inSink != null) {
        inSink.run();
      }
      delivered.merge(r.callId(), 1, Integer::sum);
    }, UsageDelivery.builder().queueCapacity(8).batchSize(4).blockWhenFull(Duration.ofMillis(1))
        .deadLetter(deadLetter).build())));
  }

  private static void offerFromThreads(UsageDeliveries deliveries) throws InterruptedException {
    List<Thread> offerers = new ArrayList<>();
    for (int o = 0; o < OFFERERS; o++) {
      int offerer = o;
      Thread t = new Thread(() -> {
        for (int i = 0; i < EACH; i++) {
          deliveries.accept(record(offerer + "-" + i));
        }
      }, "offerer-" + o);
      offerers.add(t);
      t.start();
    }
    for (Thread t : offerers) {
      t.join(10_000);
      assertThat(t.isAlive()).as("%s returned", t.getName()).isFalse();
    }
  }

  /** Every record in the sink or the dead-letter file, each exactly once; returns them all. */
  private static Map<String, Integer> assertOnceEach(Map<String, Integer> delivered,
      Path deadLetter) throws java.io.IOException {
    Map<String, Integer> all = new ConcurrentHashMap<>(delivered);
    if (Files.exists(deadLetter)) {
      for (String line : Files.readAllLines(deadLetter)) {
        all.merge(UsageRecordJson.read(line).callId(), 1, Integer::sum);
      }
    }
    assertThat(all).as("each record once in the sink or the dead-letter file")
        .hasSizeGreaterThanOrEqualTo(OFFERERS * EACH);
    assertThat(all.values()).allMatch(n -> n == 1);
    return all;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the test never released the sink");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
