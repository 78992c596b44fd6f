package dev.llmgateway.core.internal.policy;

import org.jspecify.annotations.Nullable;

/**
 * A thread's reusable buffer for building one rewritten text (a redacted prompt, a restored
 * answer), so the text is copied once, into its {@code String}, and not first into a builder of
 * its own that grows. A thread keeps at most one buffer of at most {@value #KEEP} characters (8 KB
 * whatever the coder) between uses, and the characters it held are overwritten with zeros when it
 * is given back: no text of one call stays in it for the next. A longer text gets a builder of its
 * own, which is not kept. A buffer is taken out of the slot while in use, so a nested use gets a
 * fresh one.
 */
final class Scratch {
  /** The largest buffer a thread keeps, in characters. */
  static final int KEEP = 4096;

  private static final ThreadLocal<@Nullable StringBuilder> FREE = new ThreadLocal<>();

  private Scratch() {}

  /**
   * An empty builder for a text of about {@code length} characters: the thread's own when it has
   * one free, else a new one of that size (a thread that builds one text only pays for that).
   */
  static StringBuilder take(int length) {
    if (length <= KEEP) {
      StringBuilder sb = FREE.get();
      if (sb != null) {
        FREE.set(null);
        return sb;
      }
    }
    return new StringBuilder(length);
  }

  /** The text built in {@code sb}; gives {@code sb} back, cleared, when it is small enough. */
  static String done(StringBuilder sb) {
    String text = sb.toString();
    if (sb.capacity() <= KEEP) {
      int used = sb.length();
      sb.setLength(0);
      sb.setLength(used); // fills with zeros: the text does not outlive its call here
      sb.setLength(0);
      FREE.set(sb);
    }
    return text;
  }
}
