package dev.llmgateway.core.policy.content;

import java.util.Objects;

/**
 * One place a {@link ContentFilter} category matched: the category and the match's UTF-16 offsets
 * in the text checked (for a {@link ContentFilter.Window}, in everything appended to it). Immutable;
 * it holds no text, so {@link #toString()} prints none.
 *
 * @param category the category's name
 * @param start the offset of the match's first character
 * @param end the offset after its last character (exclusive)
 */
public record ContentHit(String category, int start, int end) {
  /**
   * Validates.
   *
   * @throws IllegalArgumentException when the offsets are negative or out of order
   */
  public ContentHit {
    Objects.requireNonNull(category, "category");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("a hit spans 0 <= start <= end, was " + start + " to "
          + end);
    }
  }
}
