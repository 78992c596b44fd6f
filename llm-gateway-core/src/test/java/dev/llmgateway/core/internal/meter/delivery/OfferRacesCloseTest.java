package dev.llmgateway.core.internal.meter.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallKind;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Race;
import dev.llmgateway.core.internal.call.UsageSinkSetting;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.core.usage.UsageRecordJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callers hand records over while the gateway closes, thousands of seeded times: every record
 * ends up exactly once in the sink or the dead-letter file — none lost (an offer that lands after
 * the delivery thread left takes its record back), none delivered twice.
 */
@Timeout(120)
class OfferRacesCloseTest {
  private static final int OFFERERS = 3;
  private static final int EACH = 12;

  @TempDir
  Path dir;

  private final AtomicInteger roundsWithLateRecords = new AtomicInteger();

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
                roundsWithLateRecords.incrementAndGet();
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
    assertThat(roundsWithLateRecords).as("rounds where an offer came after close began")
        .hasPositiveValue();
  }

  private static UsageRecord record(String callId) {
    return new UsageRecord(callId, Instant.EPOCH, CallKind.CHAT, null, "m", null, null,
        List.of(), Usage.ZERO, null, Duration.ZERO, null, UsageRecord.Outcome.SUCCEEDED, null,
        Set.of(), false, null);
  }
}
