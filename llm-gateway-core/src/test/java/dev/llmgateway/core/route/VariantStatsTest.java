package dev.llmgateway.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VariantStatsTest {
  @Test
  void printsItsFiguresOnOneLineWithThePlainCost() {
    VariantStats stats = new VariantStats("smart", "b", 40, 1, 3, Duration.ofMillis(41),
        Duration.ofMillis(180), null, 3840, 360, new BigDecimal("8.0E-8"), 0, 2, 0.75);

    assertThat(stats).hasToString("VariantStats[smart/b: 40 calls, 1 errors, 3 cache hits,"
        + " p50 41 ms, p95 180 ms, p99 -, 3840 in, 360 out, $0.00000008, 0 unpriced, 2 scores,"
        + " mean 0.75]");
  }
}
