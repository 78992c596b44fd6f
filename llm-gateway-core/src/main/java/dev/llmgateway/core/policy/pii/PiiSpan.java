package dev.llmgateway.core.policy.pii;

import java.util.Objects;

/**
 * Where a detector found PII in a scanned {@link String}: UTF-16 {@code char} offsets, {@code end}
 * exclusive, so {@code text.substring(start, end)} is the value. Carries no text, so it can be
 * logged.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the kind of data
 * @param start the first char's index, at least 0
 * @param end the index after the last char, greater than {@code start}
 */
public record PiiSpan(PiiType type, int start, int end) {

  /**
   * Checks the offsets.
   *
   * @throws IllegalArgumentException when {@code start < 0} or {@code end <= start}
   */
  public PiiSpan {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("a PII span needs 0 <= start < end; got [" + start + ", "
          + end + ")");
    }
  }

  /**
   * The span's length in chars.
   *
   * @return {@code end - start}
   */
  public int length() {
    return end - start;
  }

  /**
   * Whether this span shares at least one char with {@code other}.
   *
   * @param other another span
   * @return whether they overlap
   */
  public boolean overlaps(PiiSpan other) {
    return start < other.end && other.start < end;
  }
}
