package dev.llmgateway.testing.internal.wire;

import java.math.BigDecimal;
import java.time.Duration;

/** How each format writes a delay it asks a client to wait (a rate limit's retry-after). */
final class Delays {
  /** The delay a rate-limit answer asks for when the script chose none. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private Delays() {}

  /** Whole seconds, rounded up: the HTTP {@code Retry-After} header (delay-seconds). */
  static long ceilSeconds(Duration delay) {
    long nanos = delay.toNanos();
    return nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1);
  }

  /** Milliseconds, rounded up: {@code retry-after-ms}. */
  static long ceilMillis(Duration delay) {
    long nanos = delay.toNanos();
    return nanos / NANOS_PER_MILLI + (nanos % NANOS_PER_MILLI == 0 ? 0 : 1);
  }

  /**
   * As OpenAI writes a reset time or a wait in a message: {@code 30ms} below a second, else
   * seconds with their fraction ({@code 2s}, {@code 1.5s}).
   */
  static String goStyle(Duration delay) {
    long millis = ceilMillis(delay);
    if (millis < 1000) {
      return millis + "ms";
    }
    return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
  }

  /**
   * A {@code google.protobuf.Duration} in its JSON form: seconds with 0, 3, 6 or 9 fractional
   * digits and an {@code s} ({@code 2s}, {@code 0.030s}).
   */
  static String protoJson(Duration delay) {
    long nanos = delay.toNanos();
    int digits = nanos % NANOS_PER_SECOND == 0 ? 0 : nanos % NANOS_PER_MILLI == 0 ? 3
        : nanos % 1000 == 0 ? 6 : 9;
    return BigDecimal.valueOf(nanos, 9).setScale(digits).toPlainString() + "s";
  }
}
