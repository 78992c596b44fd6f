package dev.llmgateway.report.internal;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** How both renderers write a value into a table cell: one place, so the two always agree. */
public final class Format {

  /** The longest cell, in code points, before it is cut with an ellipsis. */
  static final int MAX_CELL = 60;

  /** A missing value. */
  static final String NONE = "-";

  private Format() {}

  /**
   * Text from the input as a cell: control characters (which could move a terminal's cursor or
   * break a line) become U+FFFD, and text longer than {@value #MAX_CELL} code points is cut.
   */
  public static String text(String value) {
    return clean(value, MAX_CELL);
  }

  /** Text from the input with control characters replaced, not cut. */
  public static String clean(String value) {
    return clean(value, Integer.MAX_VALUE);
  }

  private static String clean(String value, int max) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CELL + 1));
    int count = 0;
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      i += Character.charCount(cp);
      if (count == max) {
        out.append('\u2026');
        break;
      }
      out.appendCodePoint(unsafe(cp) ? 0xFFFD : cp);
      count++;
    }
    return out.toString();
  }

  /** Control characters, line separators and bidirectional overrides. */
  private static boolean unsafe(int cp) {
    return Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029
        || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  }

  /** A count, e.g. {@code 12345}. */
  static String count(long value) {
    return Long.toString(value);
  }

  /** Dollars, exact, as a plain decimal. */
  static String dollars(BigDecimal value) {
    return value.toPlainString();
  }

  /** Microseconds as milliseconds with one decimal, {@code -} when missing. */
  static String millis(OptionalLong micros) {
    return micros.isPresent() ? String.format(Locale.ROOT, "%.1f", micros.getAsLong() / 1000.0)
        : NONE;
  }

  /** A rate as a percentage with two decimals, e.g. {@code 1.25%}. */
  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }

  /** A score with three decimals, {@code -} when missing. */
  static String score(OptionalDouble score) {
    return score.isPresent() ? String.format(Locale.ROOT, "%.3f", score.getAsDouble()) : NONE;
  }

  /** Errors by type as {@code Type 3, Other 1}, {@code -} when none. */
  static String errorTypes(Map<String, Long> byType) {
    if (byType.isEmpty()) {
      return NONE;
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Long> e : byType.entrySet()) {
      out.append(out.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
    }
    return text(out.toString());
  }
}
