package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.Race;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FailureWindowTest {
  /** A multiple of every bucket size below, so that buckets start here. */
  private static final long T0 = Instant.parse("2025-01-01T12:00:00Z").toEpochMilli();

  /** Thirty seconds in buckets of three. */
  private static FailureWindow window(CircuitBreakerPolicy.Builder policy) {
    return new FailureWindow(policy.build());
  }

  private static FailureWindow window() {
    return window(CircuitBreakerPolicy.builder().consecutiveFailures(100));
  }

  @Test
  void anOutcomeCountsUntilAWholeWindowAfterItsBucketBegan() {
    FailureWindow w = window();
    w.recordFailure(T0);

    assertThat(w.counts(T0 + 29_999).calls()).isEqualTo(1);
    assertThat(w.counts(T0 + 30_000).calls()).isZero();
  }

  @Test
  void outcomesOfOneBucketAgeOutTogether() {
    FailureWindow w = window();
    w.recordSuccess(T0);
    w.recordSuccess(T0 + 2_999); // the bucket's last millisecond
    w.recordSuccess(T0 + 3_000); // the next bucket

    assertThat(w.counts(T0 + 29_999).calls()).isEqualTo(3);
    assertThat(w.counts(T0 + 30_000).calls()).as("the first bucket left whole").isEqualTo(1);
    assertThat(w.counts(T0 + 32_999).calls()).isEqualTo(1);
    assertThat(w.counts(T0 + 33_000).calls()).isZero();
  }

  @Test
  void aSlotReusedTenBucketsLaterStartsFromZero() {
    FailureWindow w = window();
    w.recordFailure(T0);
    w.recordFailure(T0);

    w.recordSuccess(T0 + 30_000); // the same slot, ten buckets later

    FailureWindow.Counts now = w.counts(T0 + 30_000);
    assertThat(now.calls()).isEqualTo(1);
    assertThat(now.failures()).isZero();
  }

  @Test
  void theWindowIgnoresBucketsLaterThanItsNow() {
    FailureWindow w = window();
    w.recordFailure(T0 + 3_000);

    assertThat(w.counts(T0 + 2_999).calls()).isZero();
    assertThat(w.counts(T0 + 3_000).calls()).isEqualTo(1);
  }

  @Test
  void anOutcomeAWholeWindowOlderThanItsSlotIsDropped() {
    FailureWindow w = window();
    w.recordSuccess(T0 + 30_000);

    w.recordFailure(T0); // same slot, stamped a window earlier: already out of any later window

    FailureWindow.Counts now = w.counts(T0 + 30_000);
    assertThat(now.calls()).isEqualTo(1);
    assertThat(now.failures()).isZero();
    assertThat(w.consecutiveFailures()).as("still a failure in a row").isEqualTo(1);
  }

  @Test
  void theOneSecondMinimumWindowHasBucketsOfATenth() {
    FailureWindow w = window(CircuitBreakerPolicy.builder().slidingWindow(Duration.ofSeconds(1)));
    w.recordFailure(T0 + 99);
    w.recordFailure(T0 + 100);

    assertThat(w.counts(T0 + 999).calls()).isEqualTo(2);
    assertThat(w.counts(T0 + 1_000).calls()).isEqualTo(1);
    assertThat(w.counts(T0 + 1_100).calls()).isZero();
  }

  @Test
  void failuresInARowEndWithASuccessAndAreNotTimeBound() {
    FailureWindow w = window();

    assertThat(w.recordFailure(T0)).isEqualTo(1);
    assertThat(w.recordFailure(T0 + 60_000)).isEqualTo(2);
    w.recordSuccess(T0 + 60_000);
    assertThat(w.consecutiveFailures()).isZero();
    assertThat(w.recordFailure(T0 + 60_000)).isEqualTo(1);
  }

  @Test
  void failuresInARowTripAtTheThreshold() {
    FailureWindow w = window(CircuitBreakerPolicy.builder().consecutiveFailures(3));

    assertThat(w.tripReason(T0, w.recordFailure(T0))).isNull();
    assertThat(w.tripReason(T0, w.recordFailure(T0))).isNull();

    assertThat(w.tripReason(T0, w.recordFailure(T0))).isEqualTo("after 3 consecutive failures");
  }

  @Test
  void aThresholdOfOneTripsOnTheFirstFailure() {
    FailureWindow w = window(CircuitBreakerPolicy.builder().consecutiveFailures(1));

    assertThat(w.tripReason(T0, w.recordFailure(T0))).isEqualTo("after a failure");
  }

  @Test
  void theRateTripsOnlyFromMinimumCallsAndAtExactlyTheThreshold() {
    FailureWindow w = window(CircuitBreakerPolicy.builder().consecutiveFailures(100)
        .minimumCalls(4).failureRateThreshold(0.5));
    w.recordSuccess(T0);
    w.recordFailure(T0);
    int inARow = w.recordFailure(T0);
    assertThat(w.tripReason(T0, inARow)).as("3 calls < minimumCalls 4").isNull();

    w.recordSuccess(T0);
    assertThat(w.tripReason(T0, 0)).as("2 of 4 is exactly 50%")
        .isEqualTo("after 2 failures in 4 attempts (50%) within PT30S");
    w.recordSuccess(T0);
    assertThat(w.tripReason(T0, 0)).as("2 of 5").isNull();
  }

  @Test
  void theRateCountsOnlyTheWindowAtItsNow() {
    FailureWindow w = window(CircuitBreakerPolicy.builder().consecutiveFailures(100)
        .minimumCalls(2));
    w.recordFailure(T0);
    w.recordFailure(T0);

    assertThat(w.tripReason(T0 + 29_999, 0)).isNotNull();
    assertThat(w.tripReason(T0 + 30_000, 0)).isNull();
  }

  @Test
  void clearForgetsTheWindowAndTheFailuresInARow() {
    FailureWindow w = window();
    w.recordFailure(T0);
    w.recordSuccess(T0 + 3_000);
    w.recordFailure(T0 + 6_000);

    w.clear();

    assertThat(w.counts(T0 + 6_000).calls()).isZero();
    assertThat(w.consecutiveFailures()).isZero();
    w.recordSuccess(T0 + 6_000);
    assertThat(w.counts(T0 + 6_000).calls()).as("the cleared slot takes outcomes again")
        .isEqualTo(1);
  }

  @Test
  void anEmptyWindowHasAZeroFailureRate() {
    assertThat(window().counts(T0).failureRate()).isZero();
  }

  /**
   * Racers walk through ten buckets together, so that the first outcomes of each bucket swap a
   * fresh bucket into a slot that holds one from ten buckets (the last round) before, many at
   * once: no outcome may be lost or counted twice, and a reader never sees more failures than
   * attempts.
   */
  @Test
  void racingOutcomesAcrossBucketChangesAreCountedExactly() throws Exception {
    int racers = 4;
    int perBucket = 2;
    FailureWindow w = window();
    try (Race race = new Race(racers + 1)) {
      race.run(0x5eed_0001L, 2_000, r -> {
        long first = T0 + 3_000L * FailureWindow.BUCKETS * r;
        long last = first + 3_000L * (FailureWindow.BUCKETS - 1);
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> list = new ArrayList<>();
            for (int t = 0; t < racers; t++) {
              boolean failing = t % 2 == 0;
              list.add(() -> {
                for (long at = first; at <= last; at += 3_000) {
                  for (int i = 0; i < perBucket; i++) {
                    if (failing && i == 0) {
                      w.recordFailure(at);
                    } else {
                      w.recordSuccess(at);
                    }
                  }
                }
              });
            }
            list.add(() -> {
              for (long at = first; at <= last; at += 3_000) {
                FailureWindow.Counts seen = w.counts(at);
                assertThat(seen.failures()).isLessThanOrEqualTo(seen.calls());
              }
            });
            return list;
          }

          @Override
          public void check() {
            FailureWindow.Counts counts = w.counts(last);
            assertThat(counts.calls()).isEqualTo((long) racers * perBucket * FailureWindow.BUCKETS);
            assertThat(counts.failures()).isEqualTo((long) racers / 2 * FailureWindow.BUCKETS);
          }
        };
      });
    }
  }
}
