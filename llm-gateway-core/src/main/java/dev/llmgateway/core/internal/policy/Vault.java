package dev.llmgateway.core.internal.policy;

import dev.llmgateway.PolicyViolationException;
import dev.llmgateway.core.policy.pii.PiiType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One call's placeholders: each PII value the call redacted and the placeholder that stands for it
 * ({@code <EMAIL_1>}), the same value always the same placeholder. It lives in the call's memory
 * only, is filled on the calling thread while the request is redacted and then only read (the
 * stream's threads see it through the hand-off that starts the provider call).
 *
 * <p>A placeholder the caller's own text already contains is never issued, so restoring one can
 * only ever put back a value this call redacted. {@link #toString()} shows counts, never values.
 *
 * <p>Both lookups take a region of a text ({@link #placeholder(PiiType, String, int, int)}, {@link
 * #value(CharSequence, int, int)}), so finding a value or a placeholder makes no string: two
 * open-addressing tables of entry numbers over three parallel arrays, made at the first entry.
 */
final class Vault {
  /** The longest placeholder: {@code <} + a 32-character type + {@code _} + 7 digits + {@code >}. */
  static final int MAX_PLACEHOLDER_LENGTH = 1 + 32 + 1 + 7 + 1;

  private static final String[] NO_STRINGS = {};
  private static final PiiType[] NO_TYPES = {};
  private static final int[] NO_INTS = {};
  private static final int MULTIPLIER = new SplittableRandom().nextInt() | 1;

  /** How many numbers per built-in type have their placeholder made once, for every call. */
  private static final int MADE_NUMBERS = 32;

  /**
   * The first placeholders of each built-in type ({@code <EMAIL_1>} to {@code <EMAIL_32>}): they
   * name a type and a number, nothing of a value, so every call shares them instead of
   * concatenating its own.
   */
  private static final Map<PiiType, String[]> MADE;

  static {
    Map<PiiType, String[]> made = new HashMap<>();
    for (PiiType type : List.of(PiiType.SECRET, PiiType.CREDIT_CARD, PiiType.IBAN, PiiType.US_SSN,
        PiiType.EMAIL, PiiType.IP_ADDRESS, PiiType.PHONE)) {
      String[] row = new String[MADE_NUMBERS + 1];
      for (int n = 1; n <= MADE_NUMBERS; n++) {
        row[n] = make(type, n);
      }
      made.put(type, row);
    }
    MADE = Map.copyOf(made);
  }

  private final int max;
  private final Predicate<String> taken;
  // entry i: types[i] value values[i] is placeholders[i]
  private PiiType[] types = NO_TYPES;
  private String[] values = NO_STRINGS;
  private String[] placeholders = NO_STRINGS;
  private int[] valueHashes = NO_INTS;
  private int[] placeholderHashes = NO_INTS;
  private int size;
  // open addressing: slot -> entry + 1, 0 when free; the length a power of two, at least 2 * size
  private int[] byValue = NO_INTS;
  private int[] byPlaceholder = NO_INTS;
  // the last number issued per type, over the types seen
  private PiiType[] counted = NO_TYPES;
  private int[] counters = NO_INTS;
  private int kinds;
  private int longest;

  /**
   * An empty vault of at most {@code max} placeholders; {@code taken} says whether the caller's
   * own text already holds a string.
   */
  Vault(int max, Predicate<String> taken) {
    this.max = max;
    this.taken = taken;
  }

  /**
   * The placeholder of {@code value} as a {@code type}: the one it already has, or a new one.
   *
   * @throws PolicyViolationException when the call would hold more placeholders than allowed
   */
  String placeholder(PiiType type, String value) {
    return placeholder(type, value, 0, value.length());
  }

  /**
   * The placeholder of the value {@code text[start, end)} as a {@code type}: the one it already
   * has, or a new one.
   *
   * @throws PolicyViolationException when the call would hold more placeholders than allowed
   */
  String placeholder(PiiType type, String text, int start, int end) {
    int hash = hash(text, start, end) * 31 + type.hashCode();
    int found = findValue(type, text, start, end, hash);
    if (found >= 0) {
      return placeholders[found];
    }
    if (size >= max) {
      throw new PolicyViolationException("the request holds more than " + max
          + " distinct PII values to redact (policy 'pii'): split it, or raise"
          + " PiiPolicy.maxPlaceholders");
    }
    int k = kind(type);
    String[] made = MADE.get(type);
    String p;
    do {
      int number = ++counters[k];
      p = made != null && number <= MADE_NUMBERS ? made[number] : make(type, number);
    } while (taken.test(p));
    add(type, text.substring(start, end), hash, p);
    longest = Math.max(longest, p.length());
    return p;
  }

  private static String make(PiiType type, int number) {
    return "<" + type.name() + "_" + number + ">";
  }

  /** The value {@code placeholder} stands for, or null when this call issued no such one. */
  @Nullable String value(String placeholder) {
    return value(placeholder, 0, placeholder.length());
  }

  /**
   * The value the placeholder {@code text[start, end)} stands for, or null when this call issued
   * no such one.
   */
  @Nullable String value(CharSequence text, int start, int end) {
    if (size == 0) {
      return null;
    }
    int mask = byPlaceholder.length - 1;
    int hash = hash(text, start, end);
    for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
      int e = byPlaceholder[slot] - 1;
      if (e < 0) {
        return null;
      }
      if (placeholderHashes[e] == hash && same(placeholders[e], text, start, end)) {
        return values[e];
      }
    }
  }

  /** Whether nothing was put in. */
  boolean isEmpty() {
    return size == 0;
  }

  /** The length of the longest placeholder issued (0 when none). */
  int longest() {
    return longest;
  }

  /** How many placeholders were issued. */
  int size() {
    return size;
  }

  private int findValue(PiiType type, String text, int start, int end, int hash) {
    if (size == 0) {
      return -1;
    }
    int mask = byValue.length - 1;
    for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
      int e = byValue[slot] - 1;
      if (e < 0) {
        return -1;
      }
      if (valueHashes[e] == hash && same(values[e], text, start, end)
          && types[e].equals(type)) {
        return e;
      }
    }
  }

  private int kind(PiiType type) {
    for (int k = 0; k < kinds; k++) {
      if (counted[k].equals(type)) {
        return k;
      }
    }
    if (kinds == counted.length) {
      int n = Math.max(8, kinds * 2);
      counted = Arrays.copyOf(counted, n);
      counters = Arrays.copyOf(counters, n);
    }
    counted[kinds] = type;
    return kinds++;
  }

  private void add(PiiType type, String value, int valueHash, String placeholder) {
    if (size == types.length) {
      int n = Math.max(8, size * 2);
      types = Arrays.copyOf(types, n);
      values = Arrays.copyOf(values, n);
      placeholders = Arrays.copyOf(placeholders, n);
      valueHashes = Arrays.copyOf(valueHashes, n);
      placeholderHashes = Arrays.copyOf(placeholderHashes, n);
    }
    int e = size++;
    types[e] = type;
    values[e] = value;
    placeholders[e] = placeholder;
    valueHashes[e] = valueHash;
    placeholderHashes[e] = hash(placeholder, 0, placeholder.length());
    if (2 * size > byValue.length) {
      int n = Math.max(16, Integer.highestOneBit(2 * size) * 2);
      byValue = new int[n];
      byPlaceholder = new int[n];
      for (int i = 0; i < size; i++) {
        index(byValue, valueHashes[i], i);
        index(byPlaceholder, placeholderHashes[i], i);
      }
    } else {
      index(byValue, valueHash, e);
      index(byPlaceholder, placeholderHashes[e], e);
    }
  }

  private static void index(int[] table, int hash, int entry) {
    int mask = table.length - 1;
    int slot = spread(hash) & mask;
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = entry + 1;
  }

  private static boolean same(String s, CharSequence text, int start, int end) {
    if (s.length() != end - start) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != text.charAt(start + i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A polynomial hash of {@code text[start, end)} whose multiplier is drawn once per JVM, so a
   * caller cannot pick values that all collide (as {@code "Aa"} and {@code "BB"} do under {@link
   * String#hashCode()}).
   */
  private static int hash(CharSequence text, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = MULTIPLIER * h + text.charAt(i);
    }
    return h;
  }

  private static int spread(int h) {
    h *= 0x9E3779B1;
    return h ^ (h >>> 16);
  }

  @Override
  public String toString() {
    return "Vault[" + size + " placeholders]";
  }
}
