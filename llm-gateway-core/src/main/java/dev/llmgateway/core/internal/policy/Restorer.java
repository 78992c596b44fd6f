package dev.llmgateway.core.internal.policy;

/**
 * Puts a call's PII values back in place of their placeholders: in a whole text ({@link
 * #restore}), or in a text that arrives in chunks ({@link Streamed}), where a placeholder split
 * across chunks is still restored and no more text is held back than a placeholder's length. In a
 * JSON context (tool-call arguments) a value is written as the inside of a JSON string.
 */
final class Restorer {
  private Restorer() {}

  /**
   * {@code text} with every placeholder of {@code vault} replaced by its value; {@code text} itself
   * when it holds none. Built in the thread's {@link Scratch} buffer; a placeholder is looked up
   * where it stands, without a string of its own.
   */
  static String restore(String text, Vault vault, boolean json) {
    if (vault.isEmpty()) {
      return text;
    }
    int i = text.indexOf('<');
    if (i < 0) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    while (i >= 0) {
      int end = placeholderEnd(text, i, text.length());
      String value = end < 0 ? null : vault.value(text, i, end);
      if (value != null) {
        if (out == null) {
          out = Scratch.take(text.length() + 32);
        }
        out.append(text, copied, i);
        append(out, value, json);
        copied = end;
        i = text.indexOf('<', end);
      } else {
        i = text.indexOf('<', i + 1);
      }
    }
    if (out == null) {
      return text;
    }
    return Scratch.done(out.append(text, copied, text.length()));
  }

  /**
   * Where the placeholder starting at {@code start} ({@code <}) ends (exclusive): {@code
   * <TYPE_n>}, a type of upper-case letters, digits and underscores and a number; -1 when none.
   */
  static int placeholderEnd(CharSequence text, int start, int limit) {
    int stop = Math.min(limit, start + Vault.MAX_PLACEHOLDER_LENGTH);
    int i = start + 1;
    if (i >= stop || !upper(text.charAt(i))) {
      return -1;
    }
    int lastUnderscore = -1;
    for (i++; i < stop; i++) {
      char c = text.charAt(i);
      if (c == '>') {
        return lastUnderscore > 0 && lastUnderscore < i - 1 && digits(text, lastUnderscore + 1, i)
            ? i + 1 : -1;
      }
      if (c == '_') {
        lastUnderscore = i;
      } else if (!upper(c) && !digit(c)) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Whether {@code text[start, limit)} could still grow into a placeholder: {@code <}, then only
   * placeholder characters, shorter than the longest placeholder.
   */
  static boolean couldBecome(CharSequence text, int start, int limit, int longest) {
    if (limit - start >= longest) {
      return false;
    }
    for (int i = start + 1; i < limit; i++) {
      char c = text.charAt(i);
      if (!upper(c) && !digit(c) && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean digits(CharSequence s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!digit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean upper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Appends {@code value}, as the inside of a JSON string when {@code json}. */
  static void append(StringBuilder out, String value, boolean json) {
    if (!json) {
      out.append(value);
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  /**
   * Restores a text that arrives in chunks. Each {@link #push} returns what may go out now; a tail
   * that could still be the start of a placeholder (a {@code <} and fewer characters than the
   * longest placeholder) waits for the next chunk; {@link #flush} returns what waits, as it is.
   * Not thread-safe: one per stream channel, fed in order.
   */
  static final class Streamed {
    private final Vault vault;
    private final boolean json;
    private final StringBuilder held = new StringBuilder();

    Streamed(Vault vault, boolean json) {
      this.vault = vault;
      this.json = json;
    }

    /** What of {@code chunk} (after what was held) may go out now, restored; "" when nothing. */
    String push(String chunk) {
      String text;
      if (held.length() == 0) {
        text = chunk;
      } else {
        text = held.append(chunk).toString();
        held.setLength(0);
      }
      // only the last '<' can start a tail that may still grow into a placeholder: any earlier one
      // has a '<' after it, which no placeholder holds
      int last = text.lastIndexOf('<');
      int hold = last >= 0 && placeholderEnd(text, last, text.length()) < 0
          && couldBecome(text, last, text.length(), vault.longest()) ? last : -1;
      String ready = hold < 0 ? text : text.substring(0, hold);
      if (hold >= 0) {
        held.append(text, hold, text.length());
      }
      return restore(ready, vault, json);
    }

    /** What was held back, as it is (it never became a placeholder); "" when nothing. */
    String flush() {
      String rest = held.toString();
      held.setLength(0);
      return rest;
    }

    /** Whether text is held back. */
    boolean holding() {
      return held.length() > 0;
    }

    /** The held text's length. */
    int heldLength() {
      return held.length();
    }

    @Override
    public String toString() {
      return "Restorer.Streamed[held=" + held.length() + " chars]";
    }
  }
}
