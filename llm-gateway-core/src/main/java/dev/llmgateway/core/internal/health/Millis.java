package dev.llmgateway.core.internal.health;

import java.time.Duration;

/** Saturating millisecond arithmetic for the breaker's clock readings. */
final class Millis {
  private Millis() {}

  /** The duration in milliseconds; {@link Long#MAX_VALUE} when it does not fit. */
  static long of(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** {@code a + b}, or {@link Long#MAX_VALUE} when that overflows. */
  static long plus(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
