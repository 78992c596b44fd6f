package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallKind;
import dev.llmgateway.Deployment;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Race;
import dev.llmgateway.core.route.VariantStats;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recorders take the ring's slots from each other while feedback scores the calls in them, 3,000
 * seeded rounds on a ring of two slots: a score lands in the variant of the call it names or is
 * refused, never in the variant of the call that took the slot meanwhile; a call of another
 * gateway with the same sequence number is always refused; a call scored twice counts once, with
 * its later score; and once the recorders are done each slot holds the latest call recorded in
 * it.
 */
@Timeout(120)
class ExperimentsRingRaceTest {
  private static final String ALIAS = "smart";
  private static final int SLOTS = 2;
  private static final int CALLS = 8;
  private static final int VARIANTS = 3;

  @Test
  void scoresLandInTheirOwnCallsVariantWhileSlotsChangeHands() throws Exception {
    try (Race race = new Race(4)) {
      race.run(0xA1B2L, 3_000, round -> {
        Experiments experiments = new Experiments(() -> 0L, SLOTS, Duration.ofHours(24));
        SplittableRandom random = new SplittableRandom(round);
        List<Integer> order = new ArrayList<>();
        for (int seq = 0; seq < CALLS; seq++) {
          order.add(seq);
        }
        for (int i = CALLS - 1; i > 0; i--) { // each recorder gets a seeded half, in seeded order
          int j = random.nextInt(i + 1);
          order.set(j, order.set(i, order.get(j)));
        }
        // scorer s scores the calls of its parity, each twice, and another gateway's calls
        Map<String, Double> lastScored = new ConcurrentHashMap<>();
        Set<String> foreignAccepted = ConcurrentHashMap.newKeySet();
        long scorerSeed = random.nextLong();
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> racers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
              List<Integer> mine = order.subList(r * CALLS / 2, (r + 1) * CALLS / 2);
              racers.add(() -> {
                for (int seq : mine) {
                  experiments.record(record(seq), ALIAS);
                }
              });
            }
            for (int s = 0; s < 2; s++) {
              int parity = s;
              SplittableRandom scores = new SplittableRandom(scorerSeed + s);
              racers.add(() -> {
                for (int pass = 0; pass < 2; pass++) {
                  for (int seq = parity; seq < CALLS; seq += 2) {
                    double score = 1 + scores.nextInt(9);
                    if (experiments.feedback(id(seq), score)) {
                      lastScored.put(id(seq), score);
                    }
                    if (experiments.feedback("other-" + Long.toString(seq, 36), 5)) {
                      foreignAccepted.add("other-" + seq);
                    }
                  }
                }
              });
            }
            return racers;
          }

          @Override
          public void check() {
            assertThat(foreignAccepted).as("another gateway's calls scored").isEmpty();
            Map<String, long[]> expected = new HashMap<>(); // variant -> {count, sum}
            lastScored.forEach((id, score) -> {
              long[] e = expected.computeIfAbsent(variantOf(Experiments.sequenceOf(id)),
                  v -> new long[2]);
              e[0]++;
              e[1] += score.longValue();
            });
            for (VariantStats stats : experiments.stats(ALIAS)) {
              long[] e = expected.getOrDefault(stats.variant(), new long[2]);
              assertThat(stats.scores()).as("scored calls of %s", stats.variant())
                  .isEqualTo(e[0]);
              double sum = stats.meanScore() == null ? 0 : stats.meanScore() * stats.scores();
              assertThat(Math.round(sum)).as("score sum of %s", stats.variant()).isEqualTo(e[1]);
            }
            for (int seq = 0; seq < CALLS; seq++) {
              boolean latestInSlot = seq + SLOTS >= CALLS;
              assertThat(experiments.feedback(id(seq), 1)).as("call %d remembered", seq)
                  .isEqualTo(latestInSlot);
            }
          }
        };
      });
    }
  }

  /**
   * The interleaving the race above seldom hits, forced: a later call takes the slot while
   * feedback reads it, after the call id's hash (which still matches) and before the variant.
   * Feedback must then refuse, and score neither call's variant.
   */
  @Test
  void aSlotTakenBetweenFeedbacksChecksIsRefused() {
    Experiments experiments = new Experiments(() -> 0L, SLOTS, Duration.ofHours(24));
    experiments.record(record(1), ALIAS); // v1, slot 1
    experiments.betweenChecks = () -> {
      experiments.betweenChecks = null;
      experiments.record(record(1 + SLOTS), ALIAS); // v0, the same slot
    };

    assertThat(experiments.feedback(id(1), 7)).isFalse();
    assertThat(experiments.stats(ALIAS)).allSatisfy(stats -> assertThat(stats.scores())
        .as("scores of %s", stats.variant()).isZero());
    assertThat(experiments.feedback(id(1 + SLOTS), 7)).isTrue();
    assertThat(experiments.stats(ALIAS)).filteredOn(stats -> stats.variant().equals("v0"))
        .singleElement().satisfies(stats -> assertThat(stats.scores()).isEqualTo(1));
  }

  private static String id(int seq) {
    return "gw-" + Long.toString(seq, 36);
  }

  private static String variantOf(long seq) {
    return "v" + (seq % VARIANTS);
  }

  private static UsageRecord record(int seq) {
    String variant = variantOf(seq);
    return new UsageRecord(id(seq), Instant.EPOCH, CallKind.CHAT, null, ALIAS,
        new Deployment("p", "m"), null,
        List.of(), Usage.of(1, 1), BigDecimal.ONE, Duration.ofMillis(1), null,
        UsageRecord.Outcome.SUCCEEDED, null, Set.of(), false,
        new RoutingDecision(List.of("alias " + ALIAS, "variant " + variant), variant,
            List.of(new Deployment("p", "m")), List.of(), false));
  }
}
