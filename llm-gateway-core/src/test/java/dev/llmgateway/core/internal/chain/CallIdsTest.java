package dev.llmgateway.core.internal.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A call id is written exactly as {@code prefix + "-" + Long.toString(n, 36)} would write it. */
@Timeout(30)
class CallIdsTest {
  @Test
  void writesTheNumberInBase36AfterThePrefixAndADash() {
    SplittableRandom random = new SplittableRandom(36);
    long[] edges = {0, 1, 35, 36, 37, 36 * 36 - 1, 36 * 36, Integer.MAX_VALUE,
        Long.MAX_VALUE / 36, Long.MAX_VALUE - 1, Long.MAX_VALUE};
    for (long n : edges) {
      assertThat(CallIds.of("k3x9", n)).isEqualTo("k3x9-" + Long.toString(n, 36));
    }
    for (int i = 0; i < 100_000; i++) {
      long n = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
      String prefix = Long.toString(random.nextLong(36L * 36 * 36 * 36), 36);
      assertThat(CallIds.of(prefix, n)).isEqualTo(prefix + "-" + Long.toString(n, 36));
    }
    assertThatThrownBy(() -> CallIds.of("p", -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
