package dev.llmgateway.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAndHedgePolicyTest {

  private static final long MS = 1_000_000;

  @Test
  void backoffDoublesUpToTheCapWithJitterAroundIt() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(5)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(300)).jitter(0.2).build();

    assertThat(p.delayNanos(1, null, 0.5)).isEqualTo(100 * MS);
    assertThat(p.delayNanos(2, null, 0.5)).isEqualTo(200 * MS);
    assertThat(p.delayNanos(3, null, 0.5)).as("capped").isEqualTo(300 * MS);
    assertThat(p.delayNanos(1, null, 0.0)).as("-20 %").isEqualTo(80 * MS);
    assertThat(p.delayNanos(1, null, 0.999_999)).as("just under +20 %")
        .isBetween(119 * MS, 120 * MS);
  }

  @Test
  void aServersDelayIsUsedAsIsWithoutJitter() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(2).build();

    assertThat(p.delayNanos(1, Duration.ofSeconds(2), 0.0)).isEqualTo(2_000 * MS);
  }

  @Test
  void noneMeansOneAttempt() {
    assertThat(RetryPolicy.none().maxAttempts()).isOne();
    assertThat(RetryPolicy.none().toBuilder().maxAttempts(3).build().maxAttempts()).isEqualTo(3);
  }

  @Test
  void settersNameTheBadValue() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .hasMessage("maxAttempts must be at least 1, was 0");
    assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5))
        .hasMessage("jitter must be within [0, 1], was 1.5");
    assertThatThrownBy(() -> RetryPolicy.builder()
        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("PT2S");
    assertThatThrownBy(() -> HedgePolicy.atPercentile(95, Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("95");
  }

  @Test
  void aPercentileHedgeIsClampedAndFallsBackToItsMaximum() {
    HedgePolicy h = HedgePolicy.atPercentile(0.95, Duration.ofMillis(100), Duration.ofSeconds(2));

    assertThat(h.thresholdNanos(-1)).as("no observations yet").isEqualTo(2_000 * MS);
    assertThat(h.thresholdNanos(10 * MS)).isEqualTo(100 * MS);
    assertThat(h.thresholdNanos(500 * MS)).isEqualTo(500 * MS);
    assertThat(h.thresholdNanos(9_000 * MS)).isEqualTo(2_000 * MS);
    assertThat(HedgePolicy.after(Duration.ofMillis(250)).thresholdNanos(9_000 * MS))
        .isEqualTo(250 * MS);
  }
}
