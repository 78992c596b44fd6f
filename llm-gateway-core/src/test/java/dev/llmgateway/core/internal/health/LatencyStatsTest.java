package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.core.Race;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class LatencyStatsTest {
  private final LatencyStats stats = new LatencyStats();

  @Test
  void theFirstSampleIsTheAverage() {
    assertThat(stats.ewmaNanos()).isEqualTo(-1);

    stats.record(800);

    assertThat(stats.ewmaNanos()).isEqualTo(800);
  }

  @Test
  void eachLaterSampleWeighsAnEighth() {
    stats.record(800);
    stats.record(1_600);
    assertThat(stats.ewmaNanos()).isEqualTo(900);

    stats.record(100);
    assertThat(stats.ewmaNanos()).isEqualTo(800);
  }

  @Test
  void theAverageStepsDownByAtLeastOneOnAnySmallerSample() {
    stats.record(7);

    stats.record(0);

    assertThat(stats.ewmaNanos()).as("7 + (-7 >> 3) rounds toward minus infinity").isEqualTo(6);
  }

  @Test
  void theAverageHoldsWhenAGreaterSampleDiffersByLessThanEight() {
    stats.record(7);

    stats.record(14);

    assertThat(stats.ewmaNanos()).isEqualTo(7);
  }

  @Test
  void aNegativeSampleCountsAsZero() {
    stats.record(-5);

    assertThat(stats.ewmaNanos()).isZero();
    assertThat(stats.percentileNanos(1)).isZero();
  }

  @Test
  void noSamplesMeansNoPercentile() {
    assertThat(stats.percentileNanos(0.5)).isEqualTo(-1);
    assertThat(stats.sortedInto(new long[LatencyStats.SAMPLES])).isZero();
  }

  @Test
  void oneSampleIsEveryPercentile() {
    stats.record(42);

    assertThat(stats.percentileNanos(0)).isEqualTo(42);
    assertThat(stats.percentileNanos(0.5)).isEqualTo(42);
    assertThat(stats.percentileNanos(1)).isEqualTo(42);
  }

  @ParameterizedTest(name = "p{0} of 1..{1} is {2}")
  @CsvSource({
      "0,     4, 1",
      "0.25,  4, 1",
      "0.26,  4, 2",
      "0.5,   4, 2",
      "0.75,  4, 3",
      "0.76,  4, 4",
      "1,     4, 4",
      "0.07,  100, 7",
      "0.995, 100, 100",
      "0.5,   3, 2",
      "0.34,  3, 2",
      "0.33,  3, 1",
  })
  void nearestRankIsTheSmallestSampleWithThatShareAtOrBelowIt(double p, int n, long expected) {
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = i + 1;
    }

    assertThat(LatencyStats.nearestRank(sorted, n, p)).isEqualTo(expected);
  }

  @Test
  void theRingKeepsTheLastSamplesSorted() {
    for (long i = LatencyStats.SAMPLES + 10; i >= 1; i--) {
      stats.record(i);
    }

    long[] sorted = new long[LatencyStats.SAMPLES];
    assertThat(stats.sortedInto(sorted)).isEqualTo(LatencyStats.SAMPLES);
    assertThat(sorted[0]).as("the last 256 recorded are 256 down to 1").isEqualTo(1);
    assertThat(sorted[LatencyStats.SAMPLES - 1]).isEqualTo(LatencyStats.SAMPLES);
  }

  @Test
  void attemptsInFlightCountStartsNotYetEnded() {
    stats.started();
    stats.started();
    stats.ended();

    assertThat(stats.inFlight()).isEqualTo(1);
  }

  @Test
  void aPercentileOutsideZeroToOneNamesItself() {
    assertThatThrownBy(() -> stats.percentileNanos(99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile must be a fraction in [0, 1] (0.95 for p95), was 99.0");
  }

  /** Racing samples: every one lands in the ring, and the average stays within them. */
  @Test
  void racingSamplesAreAllKept() throws Exception {
    int racers = 4;
    int perRacer = LatencyStats.SAMPLES / racers;
    try (Race race = new Race(racers)) {
      race.run(0x5eed_0003L, 2_000, r -> {
        LatencyStats s = new LatencyStats();
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> list = new ArrayList<>();
            for (int t = 0; t < racers; t++) {
              long base = 1_000L * (t + 1);
              list.add(() -> {
                s.started();
                for (int i = 0; i < perRacer; i++) {
                  s.record(base + i);
                }
                s.ended();
              });
            }
            return list;
          }

          @Override
          public void check() {
            long[] sorted = new long[LatencyStats.SAMPLES];
            assertThat(s.sortedInto(sorted)).isEqualTo(LatencyStats.SAMPLES);
            for (int t = 0; t < racers; t++) {
              for (int i = 0; i < perRacer; i++) {
                assertThat(sorted[t * perRacer + i]).isEqualTo(1_000L * (t + 1) + i);
              }
            }
            assertThat(s.ewmaNanos()).isBetween(1_000L, 1_000L * racers + perRacer);
            assertThat(s.inFlight()).isZero();
          }
        };
      });
    }
  }
}
