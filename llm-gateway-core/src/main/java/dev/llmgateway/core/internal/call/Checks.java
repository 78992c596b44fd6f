package dev.llmgateway.core.internal.call;

import java.time.Duration;
import java.util.Objects;

/** Argument checks the public builders share, with messages that name the setting. */
public final class Checks {
  private Checks() {}

  /**
   * Returns {@code value} when it is positive.
   *
   * @throws IllegalArgumentException naming {@code name} when it is zero or negative
   */
  public static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
