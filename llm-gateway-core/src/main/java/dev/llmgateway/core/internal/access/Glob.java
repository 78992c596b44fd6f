package dev.llmgateway.core.internal.access;

/**
 * A glob compiled once: {@code *} stands for any run of characters (none, or many, {@code /}
 * included), every other character for itself. Matching walks the literal pieces with {@link
 * String#regionMatches} — no regular expression, no allocation. Immutable and thread-safe.
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
    return matches(new Joined(text, null));
  }

  /** Whether {@code provider + "/" + model} matches. */
  boolean matches(String provider, String model) {
    return matches(new Joined(provider, model));
  }

  private boolean matches(Joined text) {
    int n = text.length();
    String first = pieces[0];
    if (pieces.length == 1) {
      return n == first.length() && text.regionMatches(0, first);
    }
    String last = pieces[pieces.length - 1];
    if (n < first.length() + last.length() || !text.regionMatches(0, first)
        || !text.regionMatches(n - last.length(), last)) {
      return false;
    }
    int at = first.length();
    int end = n - last.length();
    for (int i = 1; i < pieces.length - 1; i++) {
      String piece = pieces[i];
      int found = -1;
      for (int from = at; from + piece.length() <= end; from++) {
        if (text.regionMatches(from, piece)) {
          found = from;
          break;
        }
      }
      if (found < 0) {
        return false;
      }
      at = found + piece.length();
    }
    return true;
  }

  /** Whether {@code exact} is {@code provider + "/" + model}. */
  static boolean equalsJoined(String exact, String provider, String model) {
    int p = provider.length();
    return exact.length() == p + 1 + model.length() && exact.startsWith(provider)
        && exact.charAt(p) == '/' && exact.regionMatches(p + 1, model, 0, model.length());
  }

  /**
   * {@code head} or {@code head + "/" + tail} read in place. A small value the JIT's escape
   * analysis keeps off the heap.
   */
  private record Joined(String head, @org.jspecify.annotations.Nullable String tail) {
    int length() {
      return tail == null ? head.length() : head.length() + 1 + tail.length();
    }

    char charAt(int i) {
      int h = head.length();
      if (i < h) {
        return head.charAt(i);
      }
      return i == h ? '/' : tail.charAt(i - h - 1);
    }

    boolean regionMatches(int from, String piece) {
      if (tail == null) {
        return head.regionMatches(from, piece, 0, piece.length());
      }
      for (int i = 0; i < piece.length(); i++) {
        if (charAt(from + i) != piece.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
