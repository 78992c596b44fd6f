package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No input throws or takes long: seeded random text and shapes that trouble naive scanners. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PiiScannerHostileInputTest {

  private static final String ALPHABET =
      "0123456789012345678901234567890123456789 -.:/@+_=()#,;ABCDEFabcdefxyzXYZKIAsk-eyJ\n€日本";

  @Test
  void twoThousandRandomStringsNeitherThrowNorRunLong() {
    Random random = new Random(20261207L);
    PiiScanner scanner = PiiScanner.builder().checksumFailingIsPii(true).build();
    for (int n = 0; n < 2_000; n++) {
      int length = 1 + random.nextInt(400);
      StringBuilder text = new StringBuilder(length);
      for (int k = 0; k < length; k++) {
        text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String input = text.toString();
      long started = cpuNanos();
      List<PiiSpan> spans = scanner.scan(input);
      assertThat(Duration.ofNanos(cpuNanos() - started)).isLessThan(Duration.ofSeconds(1));
      assertSortedAndDisjoint(spans, input.length());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "1", "1.", "1 ", "1-", "a@", "@a.", "::", "eyJ.", "-----BEGIN RSA PRIVATE KEY-----",
      "-----BEGIN ", "sk-", "DE89 ", "+1 ", "Zq8Xk2Lm9Pw4Rt7Yv1Nb6",
      "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 x",
      "(0) 12-34-56-78-90-12-34-56-78-90-12-34-56-78-90-12-34-56-78-90-12-34-56-78-90-12-34-56 x",
  })
  void longRepetitionsScanInLinearTime(String unit) {
    String text = unit.repeat(200_000 / unit.length());
    long started = cpuNanos();
    assertThatCode(() -> PiiScanner.defaults().scan(text)).doesNotThrowAnyException();
    assertThat(Duration.ofNanos(cpuNanos() - started)).isLessThan(Duration.ofSeconds(10));
  }

  private static void assertSortedAndDisjoint(List<PiiSpan> spans, int length) {
    int previousEnd = 0;
    for (PiiSpan span : spans) {
      assertThat(span.start()).isGreaterThanOrEqualTo(previousEnd);
      assertThat(span.end()).isLessThanOrEqualTo(length);
      previousEnd = span.end();
    }
  }

  /**
   * This thread's CPU time: a bound on it holds on a loaded machine, where wall time would also
   * count the time other processes had the core.
   */
  private static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
