package dev.llmgateway.core.policy.injection;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Finds encoded blocks in a raw text — base64 (standard or URL-safe), hex runs, {@code \xNN}
 * escapes, URL percent-encoding — and decodes those that turn out to be readable UTF-8 text, for
 * the scanner to scan again. Bounded: blocks shorter than {@link #MIN_BASE64} / {@link #MIN_HEX}
 * are left alone, at most {@link #MAX_BLOCKS} blocks are decoded per scan (a text and what is
 * decoded from it), each block at most {@link #MAX_BLOCK_CHARS} characters, and all of a scan's
 * decoded output at most {@link #MAX_DECODED_CHARS} characters; hand-written scanners, no regex.
 *
 * <p>Stateless and thread-safe.
 */
final class Payloads {
  static final int MIN_BASE64 = 24;
  static final int MIN_HEX = 16;
  static final int MIN_ESCAPES = 8;
  static final int MIN_PERCENT = 3;
  static final int MAX_BLOCKS = 16;
  static final int MAX_BLOCK_CHARS = 65_536;
  static final int MAX_DECODED_CHARS = 262_144;

  private Payloads() {}

  /**
   * The readable texts decoded from {@code raw}'s encoded blocks, within what is left of the
   * scan's {@code budget} (one budget for a text and everything decoded from it).
   */
  static List<String> decode(String raw, Budget budget) {
    List<String> out = new ArrayList<>(2);
    base64Runs(raw, budget, out);
    hexRuns(raw, budget, out);
    escapes(raw, budget, out);
    percent(raw, budget, out);
    return out;
  }

  /**
   * Whether {@link #decode} could find a block in {@code raw} at all: a run of at least {@link
   * #MIN_BASE64} base64 characters, of {@link #MIN_HEX} hex digits, at least {@link #MIN_ESCAPES}
   * backslashes or {@link #MIN_PERCENT} percent signs. False means {@code decode} would return
   * nothing, so a plain text skips its four passes; one pass, allocating nothing.
   */
  static boolean mayDecode(String raw) {
    int base64Run = 0;
    int hexRun = 0;
    int backslashes = 0;
    int percents = 0;
    for (int i = 0, n = raw.length(); i < n; i++) {
      char c = raw.charAt(i);
      byte kind = c < 0x80 ? KIND[c] : 0;
      if (kind >= BASE64) {
        if (++base64Run >= MIN_BASE64) {
          return true;
        }
        hexRun = kind == HEX ? hexRun + 1 : 0;
        if (hexRun >= MIN_HEX) {
          return true;
        }
        continue;
      }
      base64Run = 0;
      hexRun = 0;
      if (kind == BACKSLASH && ++backslashes >= MIN_ESCAPES) {
        return true;
      }
      if (kind == PERCENT && ++percents >= MIN_PERCENT) {
        return true;
      }
    }
    return false;
  }

  /** Per ASCII character what {@link #mayDecode} counts it as: 0 for nothing. */
  private static final byte[] KIND = new byte[0x80];
  private static final byte BACKSLASH = 1;
  private static final byte PERCENT = 2;
  /** A base64 character that is no hex digit; {@link #HEX} is both. */
  private static final byte BASE64 = 3;
  private static final byte HEX = 4;

  static {
    for (char c = 0; c < 0x80; c++) {
      KIND[c] = hexValue(c) >= 0 ? HEX : isBase64(c) ? BASE64 : c == '\\' ? BACKSLASH
          : c == '%' ? PERCENT : 0;
    }
  }

  /** What one scan may still decode. Not thread-safe: one per scan. */
  static final class Budget {
    int blocks;
    int chars;

    boolean spent() {
      return blocks >= MAX_BLOCKS || chars >= MAX_DECODED_CHARS;
    }

    void keep(String text, List<String> out) {
      blocks++;
      chars += text.length();
      out.add(text);
    }
  }

  private static boolean isBase64(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
        || c == '/' || c == '-' || c == '_';
  }

  private static void base64Runs(String s, Budget budget, List<String> out) {
    int n = s.length();
    int i = 0;
    while (i < n && !budget.spent()) {
      if (!isBase64(s.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean standard = false;
      boolean urlSafe = false;
      boolean digitOrUpper = false;
      while (i < n && isBase64(s.charAt(i))) {
        char c = s.charAt(i);
        standard |= c == '+' || c == '/';
        urlSafe |= c == '-' || c == '_';
        digitOrUpper |= (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
        i++;
      }
      int end = i;
      while (i < n && s.charAt(i) == '=') {
        i++;
      }
      int length = Math.min(end - start, MAX_BLOCK_CHARS);
      if (length < MIN_BASE64 || (standard && urlSafe) || !digitOrUpper) {
        continue;
      }
      length -= length % 4 == 1 ? 1 : 0;
      String block = s.substring(start, start + length);
      try {
        byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder())
            .decode(pad(block));
        readable(bytes, budget, out);
      } catch (IllegalArgumentException notBase64) {
        // not base64 after all: nothing to rescan
      }
    }
  }

  private static String pad(String block) {
    int missing = (4 - block.length() % 4) % 4;
    return missing == 0 ? block : block + "==".substring(0, missing);
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static void hexRuns(String s, Budget budget, List<String> out) {
    int n = s.length();
    int i = 0;
    while (i < n && !budget.spent()) {
      if (hexValue(s.charAt(i)) < 0 || (i > 0 && Character.isLetterOrDigit(s.charAt(i - 1)))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && hexValue(s.charAt(i)) >= 0) {
        i++;
      }
      if (i < n && Character.isLetterOrDigit(s.charAt(i))) {
        continue;
      }
      int length = Math.min(i - start, MAX_BLOCK_CHARS) & ~1;
      if (length < MIN_HEX) {
        continue;
      }
      byte[] bytes = new byte[length / 2];
      for (int k = 0; k < bytes.length; k++) {
        bytes[k] = (byte) (hexValue(s.charAt(start + 2 * k)) << 4
            | hexValue(s.charAt(start + 2 * k + 1)));
      }
      readable(bytes, budget, out);
    }
  }

  private static void escapes(String s, Budget budget, List<String> out) {
    int n = s.length();
    int i = 0;
    while (i < n && !budget.spent()) {
      if (!isEscape(s, i)) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isEscape(s, i) && (i - start) / 4 < MAX_BLOCK_CHARS) {
        i += 4;
      }
      int count = (i - start) / 4;
      if (count < MIN_ESCAPES) {
        continue;
      }
      byte[] bytes = new byte[count];
      for (int k = 0; k < count; k++) {
        int at = start + 4 * k + 2;
        bytes[k] = (byte) (hexValue(s.charAt(at)) << 4 | hexValue(s.charAt(at + 1)));
      }
      readable(bytes, budget, out);
    }
  }

  private static boolean isEscape(String s, int i) {
    return i + 3 < s.length() && s.charAt(i) == '\\' && (s.charAt(i + 1) == 'x'
        || s.charAt(i + 1) == 'X') && hexValue(s.charAt(i + 2)) >= 0
        && hexValue(s.charAt(i + 3)) >= 0;
  }

  private static boolean isPercent(String s, int i) {
    return i + 2 < s.length() && s.charAt(i) == '%' && hexValue(s.charAt(i + 1)) >= 0
        && hexValue(s.charAt(i + 2)) >= 0;
  }

  private static void percent(String s, Budget budget, List<String> out) {
    int count = 0;
    for (int i = 0; i < s.length() && count < MIN_PERCENT; i++) {
      if (isPercent(s, i)) {
        count++;
      }
    }
    if (count < MIN_PERCENT || budget.spent()) {
      return;
    }
    int length = Math.min(s.length(), MAX_DECODED_CHARS - budget.chars);
    StringBuilder decoded = new StringBuilder(length);
    byte[] run = new byte[length / 3 + 1];
    int i = 0;
    while (i < length) {
      if (!isPercent(s, i)) {
        decoded.append(s.charAt(i++));
        continue;
      }
      int bytes = 0;
      while (i < length && isPercent(s, i)) {
        run[bytes++] = (byte) (hexValue(s.charAt(i + 1)) << 4 | hexValue(s.charAt(i + 2)));
        i += 3;
      }
      decoded.append(new String(run, 0, bytes, StandardCharsets.UTF_8));
    }
    budget.keep(decoded.toString(), out);
  }

  /** Keeps bytes that are valid UTF-8 and read as text (few control characters, some letters). */
  private static void readable(byte[] bytes, Budget budget, List<String> out) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars;
    try {
      chars = utf8.decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException binary) {
      return;
    }
    int letters = 0;
    int control = 0;
    for (int i = 0; i < chars.length(); i++) {
      char c = chars.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
      } else if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        control++;
      }
    }
    if (letters >= 8 && control * 20 <= chars.length()
        && letters * 2 >= chars.length()) {
      budget.keep(chars.toString(), out);
    }
  }
}
