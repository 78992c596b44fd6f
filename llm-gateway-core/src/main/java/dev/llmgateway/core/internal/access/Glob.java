package dev.llmgateway.core.internal.access;

import org.jspecify.annotations.Nullable;

/**
 * A glob compiled once: {@code *} stands for any run of characters (none, or many, {@code /}
 * included), every other character for itself. Matching walks the literal pieces between the
 * stars over the text in place — no regular expression, no allocation; a deployment is matched as
 * {@code provider/model} without joining the two. Immutable and thread-safe.
 */
final class Glob {
  final String pattern;
  /** The literal pieces between the stars; the first is anchored at the start, the last at the end. */
  private final String[] pieces;

  Glob(String pattern) {
    this.pattern = pattern;
    this.pieces = pattern.split("\\*", -1);
  }

  boolean matches(String text) {
    return matches(text, null);
  }

  /**
   * Whether {@code head}, or {@code head + "/" + tail} when a tail is given, matches.
   */
  boolean matches(String head, @Nullable String tail) {
    int n = tail == null ? head.length() : head.length() + 1 + tail.length();
    String first = pieces[0];
    if (pieces.length == 1) {
      return n == first.length() && at(head, tail, 0, first);
    }
    String last = pieces[pieces.length - 1];
    if (n < first.length() + last.length() || !at(head, tail, 0, first)
        || !at(head, tail, n - last.length(), last)) {
      return false;
    }
    int from = first.length();
    int end = n - last.length();
    for (int i = 1; i < pieces.length - 1; i++) {
      String piece = pieces[i];
      while (from + piece.length() <= end && !at(head, tail, from, piece)) {
        from++;
      }
      if (from + piece.length() > end) {
        return false;
      }
      from += piece.length();
    }
    return true;
  }

  /** Whether {@code piece} stands at {@code from} in the (joined) text. */
  private static boolean at(String head, @Nullable String tail, int from, String piece) {
    if (tail == null) {
      return head.regionMatches(from, piece, 0, piece.length());
    }
    int h = head.length();
    for (int i = 0; i < piece.length(); i++) {
      int j = from + i;
      char c = j < h ? head.charAt(j) : j == h ? '/' : tail.charAt(j - h - 1);
      if (c != piece.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code exact} is {@code provider + "/" + model}. */
  static boolean equalsJoined(String exact, String provider, String model) {
    int p = provider.length();
    return exact.length() == p + 1 + model.length() && exact.startsWith(provider)
        && exact.charAt(p) == '/' && exact.regionMatches(p + 1, model, 0, model.length());
  }
}
