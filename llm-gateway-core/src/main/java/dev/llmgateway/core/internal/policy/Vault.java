package dev.llmgateway.core.internal.policy;

import dev.llmgateway.PolicyViolationException;
import dev.llmgateway.core.policy.pii.PiiType;
import java.util.HashMap;
import java.util.Map;
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
 */
final class Vault {
  /** The longest placeholder: {@code <} + a 32-character type + {@code _} + 7 digits + {@code >}. */
  static final int MAX_PLACEHOLDER_LENGTH = 1 + 32 + 1 + 7 + 1;

  private final int max;
  private final Predicate<String> taken;
  private final Map<String, String> byValue = new HashMap<>();
  private final Map<String, String> byPlaceholder = new HashMap<>();
  private final Map<PiiType, int[]> counters = new HashMap<>();
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
    String key = type.name() + '\u0000' + value;
    String p = byValue.get(key);
    if (p != null) {
      return p;
    }
    if (byPlaceholder.size() >= max) {
      throw new PolicyViolationException("the request holds more than " + max
          + " distinct PII values to redact (policy 'pii'): split it, or raise"
          + " PiiPolicy.maxPlaceholders");
    }
    int[] n = counters.computeIfAbsent(type, t -> new int[1]);
    do {
      p = "<" + type.name() + "_" + (++n[0]) + ">";
    } while (taken.test(p));
    byValue.put(key, p);
    byPlaceholder.put(p, value);
    longest = Math.max(longest, p.length());
    return p;
  }

  /** The value {@code placeholder} stands for, or null when this call issued no such one. */
  @Nullable String value(String placeholder) {
    return byPlaceholder.get(placeholder);
  }

  /** Whether nothing was put in. */
  boolean isEmpty() {
    return byPlaceholder.isEmpty();
  }

  /** The length of the longest placeholder issued (0 when none). */
  int longest() {
    return longest;
  }

  /** How many placeholders were issued. */
  int size() {
    return byPlaceholder.size();
  }

  @Override
  public String toString() {
    return "Vault[" + byPlaceholder.size() + " placeholders]";
  }
}
