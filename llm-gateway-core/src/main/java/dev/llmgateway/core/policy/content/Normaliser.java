package dev.llmgateway.core.policy.content;

import java.text.Normalizer;

/**
 * Normalises text as it arrives, in pieces of any size, and tells each normalised character's
 * source: NFKC, lower case (simple case mapping), every run of whitespace as one space, zero-width
 * characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, Mongolian vowel separator, invisible
 * operators) removed. NFKC is applied per segment (a character and the combining marks after it,
 * at most {@value #MAX_SEGMENT} UTF-16 units), which composes what a text's marks compose; a
 * segment is held until the character after it arrives, so where the pieces are cut never changes
 * the result. Not thread-safe: one per scan.
 */
final class Normaliser {
  /** The most UTF-16 units one segment (a character and its marks) holds before it is cut. */
  static final int MAX_SEGMENT = 32;

  /** Receives normalised characters. */
  interface Sink {
    /**
     * One normalised character, which came from the source characters {@code [start, end)}
     * (UTF-16 offsets into everything fed).
     */
    void accept(char c, int start, int end);
  }

  private final Sink sink;
  private final StringBuilder segment = new StringBuilder(MAX_SEGMENT);
  /**
   * An ASCII character held as the whole segment, kept out of {@link #segment} (the common case,
   * which needs no NFKC), or -1; never both it and {@code segment} hold a character.
   */
  private int heldAscii = -1;
  private int segmentStart;
  private int segmentEnd;
  /** The offset of the next source character to read. */
  private int offset;
  /** A high surrogate that ended the last piece, or 0. */
  private char high;
  private boolean lastSpace;

  Normaliser(Sink sink) {
    this.sink = sink;
  }

  /** A phrase as the filter matches it: normalised, without leading or trailing space. */
  static String phrase(CharSequence text) {
    StringBuilder out = new StringBuilder(text.length());
    Normaliser n = new Normaliser((c, start, end) -> out.append(c));
    n.feed(text);
    n.finish();
    int from = 0;
    int to = out.length();
    while (from < to && out.charAt(from) == ' ') {
      from++;
    }
    while (to > from && out.charAt(to - 1) == ' ') {
      to--;
    }
    return out.substring(from, to);
  }

  /**
   * Reads the next piece.
   *
   * @throws IllegalStateException when everything fed would pass {@link Integer#MAX_VALUE}
   *     characters
   */
  void feed(CharSequence piece) {
    int n = piece.length();
    if (n > Integer.MAX_VALUE - offset - 1) {
      throw new IllegalStateException("a content window counts at most " + Integer.MAX_VALUE
          + " characters");
    }
    for (int i = 0; i < n; i++) {
      char c = piece.charAt(i);
      if (c < 0x80 && high == 0) {
        // the common case: an ASCII character is never zero-width nor a mark, so it ends the
        // segment held and starts its own
        int at = offset;
        offset++;
        flush();
        heldAscii = c;
        segmentStart = at;
        segmentEnd = offset;
        continue;
      }
      if (high != 0) {
        char h = high;
        high = 0;
        if (Character.isLowSurrogate(c)) {
          codePoint(Character.toCodePoint(h, c), 2);
          continue;
        }
        codePoint(h, 1);
      }
      if (Character.isHighSurrogate(c)) {
        high = c;
      } else {
        codePoint(c, 1);
      }
    }
  }

  /** Ends the text: what is held back is normalised and sent. */
  void finish() {
    if (high != 0) {
      char h = high;
      high = 0;
      codePoint(h, 1);
    }
    flush();
  }

  private void codePoint(int cp, int units) {
    int at = offset;
    offset += units;
    if (isZeroWidth(cp)) {
      return;
    }
    if (heldAscii >= 0 && isMark(cp)) {
      segment.append((char) heldAscii);
      heldAscii = -1;
    }
    if (segment.length() > 0 && segment.length() + units <= MAX_SEGMENT && isMark(cp)) {
      segment.appendCodePoint(cp);
      segmentEnd = offset;
      return;
    }
    flush();
    segment.appendCodePoint(cp);
    segmentStart = at;
    segmentEnd = offset;
  }

  private void flush() {
    if (heldAscii >= 0) {
      char c = (char) heldAscii;
      heldAscii = -1;
      emit(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
      return;
    }
    int length = segment.length();
    if (length == 0) {
      return;
    }
    char first = segment.charAt(0);
    if (length == 1 && first < 0x80) {
      emit(first >= 'A' && first <= 'Z' ? (char) (first + ('a' - 'A')) : first);
    } else {
      String normal = Normalizer.normalize(segment, Normalizer.Form.NFKC);
      for (int i = 0; i < normal.length(); ) {
        int cp = normal.codePointAt(i);
        i += Character.charCount(cp);
        if (isZeroWidth(cp)) {
          continue;
        }
        int lower = Character.toLowerCase(cp);
        if (Character.isBmpCodePoint(lower)) {
          emit((char) lower);
        } else {
          emit(Character.highSurrogate(lower));
          emit(Character.lowSurrogate(lower));
        }
      }
    }
    segment.setLength(0);
  }

  private void emit(char c) {
    if (c < 0x80 ? isAsciiSpace(c) : Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      if (!lastSpace) {
        lastSpace = true;
        sink.accept(' ', segmentStart, segmentEnd);
      }
      return;
    }
    lastSpace = false;
    sink.accept(c, segmentStart, segmentEnd);
  }

  /**
   * Whether an ASCII character is one {@link #emit} turns into a space: the space, {@code \t},
   * {@code \n}, {@code \u000B}, {@code \f}, {@code \r} and {@code \u001C} to {@code \u001F}.
   */
  static boolean isAsciiSpace(char c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  }

  /** Whether the character is one that renders as nothing and is dropped. */
  static boolean isZeroWidth(int cp) {
    switch (cp) {
      case 0x00AD: // soft hyphen
      case 0x180E: // Mongolian vowel separator
      case 0x200B: // zero width space
      case 0x200C: // zero width non-joiner
      case 0x200D: // zero width joiner
      case 0x2060: // word joiner
      case 0x2061: // function application
      case 0x2062: // invisible times
      case 0x2063: // invisible separator
      case 0x2064: // invisible plus
      case 0xFEFF: // zero width no-break space (BOM)
        return true;
      default:
        return false;
    }
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Whether a normalised character is part of a word (for the phrases' word boundaries). */
  static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || Character.isSurrogate(c)
        || Character.getType(c) == Character.NON_SPACING_MARK
        || Character.getType(c) == Character.COMBINING_SPACING_MARK;
  }
}
