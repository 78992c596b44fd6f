package dev.llmgateway.core.policy.pii;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A text's chars by class, as bit sets made in one pass over the text: ASCII digits, digits of
 * any script, phone chars, the chars of base64 runs and of tokens, the first chars of key
 * prefixes, and where a base64 run is long enough to be a key. The built-in detectors of one scan
 * share it, and each visits only the runs that can hold what it looks for (a run of phone chars
 * with a digit in it, a base64 run long enough to be a key, a token that starts like one) instead
 * of walking the text char by char once per detector.
 *
 * <p>The pass writes one class byte per char through a table; then eight bytes at a time, one
 * multiplication per class gathers their bits into that class's set (about 0.9 ns a char for all
 * seven sets, where shifting each char's bit into six sets took 2.6 ns).
 *
 * <p>The bytes and bits of a text up to {@value #KEEP_CHARS} chars live in one thread's reusable
 * arrays, about 7.5 KB ({@link #acquire}); {@link #release} zeroes the part a text used, so no
 * text's shape outlives its scan there. A longer text, or a scan within a scan, gets arrays of its
 * own. Not thread-safe: one scan, one thread.
 */
final class TextBits {

  /** The longest text whose bits a thread's reusable array holds. */
  static final int KEEP_CHARS = 4_096;

  /** {@code 0-9}. */
  static final int DIGIT = 0;
  /** A digit of any script ({@link Character#isDigit(char)}). */
  static final int ANY_DIGIT = 1;
  /** What phone numbers are written with ({@link PhoneDetector#phoneChar}). */
  static final int PHONE = 2;
  /** A base64 or base64url char ({@link SecretDetector#entropyChar}). */
  static final int ENTROPY = 3;
  /** A char of a key's token ({@link SecretDetector#tokenChar}). */
  static final int TOKEN = 4;
  /** The first char of a key prefix ({@link SecretDetector#startsAKeyPrefix}). */
  static final int KEY_FIRST = 5;
  /**
   * A char from which {@value #LONG_RUN} chars in a row are {@link #ENTROPY} chars: the first
   * such char of a run is its start, so each run long enough to be a key (with its two padding
   * chars) is found at once.
   */
  static final int LONG_ENTROPY = 6;
  /** The shortest {@link #ENTROPY} run {@link #LONG_ENTROPY} marks. */
  static final int LONG_RUN = SecretDetector.MIN_ENTROPY_LENGTH - 2;
  private static final int CLASSES = 7;

  static {
    if (LONG_RUN != 18) {
      throw new AssertionError("longRuns() finds runs of 18, not " + LONG_RUN);
    }
  }

  /** Reads eight class bytes at once. */
  private static final VarHandle EIGHT =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** Gathers bit 0 of each of eight bytes into the top byte of the product. */
  private static final long GATHER = 0x0102040810204080L;
  private static final long LOW_BITS = 0x0101010101010101L;

  /** Per ASCII char its classes, one bit per class. */
  private static final byte[] ASCII = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII[c] = (byte) of(c);
    }
  }

  private static final ThreadLocal<TextBits> LOCAL =
      ThreadLocal.withInitial(() -> new TextBits(KEEP_CHARS >>> 6));

  /** The most chars {@link #chars()} holds: more than any detector's number needs. */
  static final int SCRATCH_CHARS = 64;
  /** The most ints each of {@link #starts()} and {@link #ends()} holds. */
  static final int SCRATCH_INTS = 8;

  /**
   * The detectors' working memory, one detector at a time: a card's or an IBAN's chars, a phone
   * number's digits, a card's digit groups. Zeroed on release, like the bits: these hold PII.
   */
  private final char[] chars = new char[SCRATCH_CHARS];
  private final int[] starts = new int[SCRATCH_INTS];
  private final int[] ends = new int[SCRATCH_INTS];

  /** Each char's classes, one byte per char, zero past the text to the end of its last word. */
  private final byte[] classes;
  /** The bit sets, {@link #CLASSES} of {@link #words} words each, one after the other. */
  private final long[] bits;
  private String text = "";
  private int length;
  private int words;
  private boolean inUse;

  private TextBits(int words) {
    this.classes = new byte[words << 6];
    this.bits = new long[words * CLASSES];
  }

  /** The classes of {@code text}, in this thread's reusable arrays when they are free and fit. */
  static TextBits acquire(String text) {
    int words = (text.length() + 63) >>> 6;
    TextBits t = LOCAL.get();
    if (t.inUse || words * CLASSES > t.bits.length) {
      t = new TextBits(words);
    }
    t.inUse = true;
    t.index(text, words);
    return t;
  }

  /** This thread's reusable instance, as it is between scans: for tests of {@link #release}. */
  static TextBits threadsOwn() {
    return LOCAL.get();
  }

  /** Forgets the text: zeroes the classes and bits it set, and the detectors' working memory. */
  void release() {
    Arrays.fill(classes, 0, words << 6, (byte) 0);
    Arrays.fill(bits, 0, words * CLASSES, 0L);
    Arrays.fill(chars, '\0');
    Arrays.fill(starts, 0);
    Arrays.fill(ends, 0);
    text = "";
    length = 0;
    words = 0;
    inUse = false;
  }

  /**
   * {@value #SCRATCH_CHARS} chars of working memory for the detector running now; it must not
   * keep them past its {@code find}.
   */
  char[] chars() {
    return chars;
  }

  /** {@value #SCRATCH_INTS} ints of working memory for the detector running now. */
  int[] starts() {
    return starts;
  }

  /** {@value #SCRATCH_INTS} more ints of working memory for the detector running now. */
  int[] ends() {
    return ends;
  }

  /**
   * Whether the classes, the bits and the working memory are all zero: for tests of {@link
   * #release}.
   */
  boolean zeroed() {
    for (long word : bits) {
      if (word != 0) {
        return false;
      }
    }
    for (byte b : classes) {
      if (b != 0) {
        return false;
      }
    }
    for (char c : chars) {
      if (c != 0) {
        return false;
      }
    }
    return Arrays.equals(starts, new int[SCRATCH_INTS])
        && Arrays.equals(ends, new int[SCRATCH_INTS]);
  }

  /** The text these bits describe. */
  String text() {
    return text;
  }

  /**
   * One pass over the text writes each char's class byte; then each word of 64 chars is read
   * eight class bytes at a time, and a multiplication gathers each class's bit of the eight into
   * one byte of its bit set.
   */
  private void index(String s, int words) {
    this.text = s;
    this.length = s.length();
    this.words = words;
    byte[] cls = classes;
    int n = length;
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      cls[k] = c < 128 ? ASCII[c] : (byte) of(c);
    }
    long[] b = bits;
    for (int w = 0; w < words; w++) {
      long digit = 0;
      long anyDigit = 0;
      long phone = 0;
      long entropy = 0;
      long token = 0;
      long keyFirst = 0;
      int base = w << 6;
      for (int shift = 0; shift < 64; shift += 8) {
        long eight = (long) EIGHT.get(cls, base + shift);
        digit |= gather(eight, DIGIT) << shift;
        anyDigit |= gather(eight, ANY_DIGIT) << shift;
        phone |= gather(eight, PHONE) << shift;
        entropy |= gather(eight, ENTROPY) << shift;
        token |= gather(eight, TOKEN) << shift;
        keyFirst |= gather(eight, KEY_FIRST) << shift;
      }
      b[w] = digit;
      b[words + w] = anyDigit;
      b[PHONE * words + w] = phone;
      b[ENTROPY * words + w] = entropy;
      b[TOKEN * words + w] = token;
      b[KEY_FIRST * words + w] = keyFirst;
    }
    longRuns();
  }

  /** Bit {@code cls} of each of the eight bytes in {@code eight}, as the low byte. */
  private static long gather(long eight, int cls) {
    return (((eight >>> cls) & LOW_BITS) * GATHER) >>> 56;
  }

  /**
   * {@link #LONG_ENTROPY}: the chars from which {@value #LONG_RUN} in a row are {@link #ENTROPY}
   * chars, found by doubling (2, 4, 8, 16 in a row, then 16 and 2 more) in the set's own region.
   */
  private void longRuns() {
    int runs = LONG_ENTROPY * words;
    System.arraycopy(bits, ENTROPY * words, bits, runs, words);
    andShifted(runs, 1);
    andShifted(runs, 2);
    andShifted(runs, 4);
    andShifted(runs, 8);
    // 16 in a row from p, and p + 16 and p + 17 as well: 18 in a row
    int entropy = ENTROPY * words;
    for (int w = 0; w < words; w++) {
      bits[runs + w] &= pairs(entropy, w, 16);
    }
  }

  /**
   * In place, word by word: each bit of the region at {@code base} kept only where the bit
   * {@code s} places on is set too (0 < s < 63).
   */
  private void andShifted(int base, int s) {
    for (int w = 0; w < words; w++) {
      // word w + 1 is read before it is changed: the loop goes up
      bits[base + w] &= shiftedDown(base, w, s);
    }
  }

  /** The chars p of word {@code w} where p + s and p + s + 1 are both set in the region at base. */
  private long pairs(int base, int w, int s) {
    long at = shiftedDown(base, w, s);
    long after = shiftedDown(base, w, s + 1);
    return at & after;
  }

  /** Word {@code w} of the region at {@code base}, shifted down by {@code s} (0 < s < 63). */
  private long shiftedDown(int base, int w, int s) {
    long next = w + 1 < words ? bits[base + w + 1] : 0;
    return (bits[base + w] >>> s) | (next << (64 - s));
  }

  private static int of(char c) {
    int cls = 0;
    if (Chars.digit(c)) {
      cls |= 1 << DIGIT;
    }
    if (Character.isDigit(c)) {
      cls |= 1 << ANY_DIGIT;
    }
    if (PhoneDetector.phoneChar(c)) {
      cls |= 1 << PHONE;
    }
    if (SecretDetector.entropyChar(c)) {
      cls |= 1 << ENTROPY;
    }
    if (SecretDetector.tokenChar(c)) {
      cls |= 1 << TOKEN;
    }
    if (SecretDetector.startsAKeyPrefix(c)) {
      cls |= 1 << KEY_FIRST;
    }
    return cls;
  }

  /** Whether the char at {@code at} is of class {@code cls}. */
  boolean has(int cls, int at) {
    return (bits[cls * words + (at >>> 6)] & (1L << at)) != 0;
  }

  /** The first char of class {@code cls} at or after {@code from}, or -1. */
  int next(int cls, int from) {
    if (from >= length) {
      return -1;
    }
    int found = search(cls, from, 0L);
    return found < length ? found : -1;
  }

  /** The first char not of class {@code cls} at or after {@code from}, or the text's length. */
  int nextOther(int cls, int from) {
    if (from >= length) {
      return length;
    }
    return Math.min(length, search(cls, from, -1L));
  }

  /**
   * The first position at or after {@code from} (below the text's length) whose bit of class
   * {@code cls}, flipped by {@code flip} (0, or -1 for "not of the class"), is set; the end of the
   * last word when none is.
   */
  private int search(int cls, int from, long flip) {
    int base = cls * words;
    int w = from >>> 6;
    long word = (bits[base + w] ^ flip) & (-1L << from);
    while (word == 0) {
      if (++w == words) {
        return words << 6;
      }
      word = bits[base + w] ^ flip;
    }
    return (w << 6) + Long.numberOfTrailingZeros(word);
  }

  /** The last char not of class {@code cls} before {@code before}, or -1. */
  int previousOther(int cls, int before) {
    if (before <= 0) {
      return -1;
    }
    int at = before - 1;
    int base = cls * words;
    int w = at >>> 6;
    long word = ~bits[base + w] & (-1L >>> (63 - (at & 63)));
    while (word == 0) {
      if (--w < 0) {
        return -1;
      }
      word = ~bits[base + w];
    }
    return (w << 6) + 63 - Long.numberOfLeadingZeros(word);
  }

  /** How many chars of {@code text[from, to)} are of class {@code cls}. */
  int count(int cls, int from, int to) {
    if (from >= to) {
      return 0;
    }
    int base = cls * words;
    int first = from >>> 6;
    int last = (to - 1) >>> 6;
    long head = -1L << from;
    long tail = -1L >>> (63 - ((to - 1) & 63));
    if (first == last) {
      return Long.bitCount(bits[base + first] & head & tail);
    }
    int count = Long.bitCount(bits[base + first] & head);
    for (int w = first + 1; w < last; w++) {
      count += Long.bitCount(bits[base + w]);
    }
    return count + Long.bitCount(bits[base + last] & tail);
  }

  /** The first ASCII digit at or after {@code from}, or -1. */
  int nextDigit(int from) {
    return next(DIGIT, from);
  }

  /** The first ASCII digit at or after {@code from} that starts a run of them, or -1. */
  int nextDigitRun(int from) {
    int d = next(DIGIT, from);
    while (d > 0 && has(DIGIT, d - 1)) {
      d = next(DIGIT, nextOther(DIGIT, d));
    }
    return d;
  }

  /** The end of the run of ASCII digits starting at {@code from}. */
  int digitsEnd(int from) {
    return nextOther(DIGIT, from);
  }

  /**
   * The first char at or after {@code from} that starts a key prefix and a token (no token char
   * just before it), or -1.
   */
  int nextKeyStart(int from) {
    if (from >= length) {
      return -1;
    }
    int w = from >>> 6;
    long word = keyStarts(w) & (-1L << from);
    while (word == 0) {
      if (++w == words) {
        return -1;
      }
      word = keyStarts(w);
    }
    return (w << 6) + Long.numberOfTrailingZeros(word);
  }

  private long keyStarts(int w) {
    int token = TOKEN * words + w;
    long tokenBefore = (bits[token] << 1) | (w > 0 ? bits[token - 1] >>> 63 : 0);
    return bits[KEY_FIRST * words + w] & ~tokenBefore;
  }
}
