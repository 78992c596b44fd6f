package dev.llmgateway.core.policy.pii;

import org.jspecify.annotations.Nullable;

/**
 * Where a text's ASCII digits are, found in one pass when first asked for (a bit per char) and
 * shared by the detectors that start from digits (cards, IBANs, US SSNs, IPv4 addresses), so
 * each of them jumps from digit to digit instead of reading the prose between. One per scan;
 * not thread-safe.
 */
final class DigitRuns {

  private final String text;
  private long @Nullable [] digits;

  DigitRuns(String text) {
    this.text = text;
  }

  /** The first index at or after {@code from} holding an ASCII digit, or -1 when there is none. */
  int next(int from) {
    long[] bits = bits();
    int w = from >>> 6;
    if (w >= bits.length) {
      return -1;
    }
    long word = bits[w] & (-1L << from);
    while (word == 0) {
      if (++w == bits.length) {
        return -1;
      }
      word = bits[w];
    }
    return (w << 6) + Long.numberOfTrailingZeros(word);
  }

  /**
   * The first index at or after {@code from} where a run of ASCII digits starts (a digit with no
   * digit before it), or -1 when there is none.
   */
  int nextStart(int from) {
    int d = next(from);
    while (d > 0 && Chars.digit(text.charAt(d - 1))) {
      d = next(Chars.digitsEnd(text, d));
    }
    return d;
  }

  private long[] bits() {
    long[] bits = digits;
    if (bits == null) {
      int n = text.length();
      bits = new long[(n + 63) >>> 6];
      for (int k = 0; k < n; k++) {
        if (Chars.digit(text.charAt(k))) {
          bits[k >>> 6] |= 1L << k;
        }
      }
      digits = bits;
    }
    return bits;
  }
}
