package dev.llmgateway.core.internal.chain;

import java.nio.charset.StandardCharsets;

/**
 * A call's id, {@code prefix-n} with {@code n} in base 36 (digits, then lower-case letters), as
 * {@code prefix + "-" + Long.toString(n, 36)} writes it, but made in one exact-size array: {@code
 * Long.toString} with a radix fills a 65-byte buffer first, the largest allocation of a call's
 * start.
 */
final class CallIds {
  private static final byte[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
      .getBytes(StandardCharsets.ISO_8859_1);

  private CallIds() {}

  /** {@code prefix-n}; {@code prefix} is ASCII, {@code n} at least 0. */
  static String of(String prefix, long n) {
    if (n < 0) {
      throw new IllegalArgumentException("a call's number is at least 0, was " + n);
    }
    int digits = 1;
    for (long v = n; v >= 36; v /= 36) {
      digits++;
    }
    int dash = prefix.length();
    byte[] id = new byte[dash + 1 + digits];
    for (int i = 0; i < dash; i++) {
      id[i] = (byte) prefix.charAt(i);
    }
    id[dash] = '-';
    long v = n;
    for (int i = id.length - 1; i > dash; i--) {
      id[i] = DIGITS[(int) (v % 36)];
      v /= 36;
    }
    return new String(id, StandardCharsets.ISO_8859_1);
  }
}
