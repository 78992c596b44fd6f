package dev.llmgateway.core.policy.pii;

/** Character tests the hand-written detectors share. Stateless. */
final class Chars {

  private Chars() {}

  static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean upper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean lower(char c) {
    return c >= 'a' && c <= 'z';
  }

  static boolean asciiAlnum(char c) {
    return digit(c) || upper(c) || lower(c);
  }

  static boolean hex(char c) {
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * A letter or digit, or an underscore: what glues a token to its neighbour. Letters of scripts
   * written without spaces (Han, kana, Hangul, Thai, ...) do not: in {@code カード番号は4111...}
   * the number stands alone.
   */
  static boolean word(char c) {
    if (c < 128) {
      return c == '_' || asciiAlnum(c);
    }
    if (!Character.isLetterOrDigit(c)) {
      return false;
    }
    return switch (Character.UnicodeScript.of(c)) {
      case HAN, HIRAGANA, KATAKANA, HANGUL, THAI, LAO, KHMER, MYANMAR -> false;
      default -> true;
    };
  }

  /** The end of the run of ASCII digits starting at {@code from}. */
  static int digitsEnd(String text, int from) {
    int i = from;
    while (i < text.length() && digit(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Whether the number starting at {@code start} continues one before it ({@code 12.}, {@code 3-},
   * {@code 1/}, {@code 9,} or {@code 7:} just before): then it is a piece of a longer number.
   */
  static boolean continuesNumberBefore(String text, int start) {
    return start >= 2 && joiner(text.charAt(start - 1)) && digit(text.charAt(start - 2));
  }

  /** Whether a number ending at {@code end} goes on after it ({@code .5}, {@code -7}, ...). */
  static boolean numberGoesOnAfter(String text, int end) {
    return end + 1 < text.length() && joiner(text.charAt(end)) && digit(text.charAt(end + 1));
  }

  private static boolean joiner(char c) {
    return c == '.' || c == '-' || c == '/' || c == ',' || c == ':';
  }

  /** Whether {@code text} has {@code word} (lower case ASCII) at {@code at}, ignoring case. */
  static boolean hasAt(String text, int at, String word) {
    return at >= 0 && text.regionMatches(true, at, word, 0, word.length());
  }
}
