package dev.llmgateway.providers.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Redacts what may be a secret or personal data from text that came from a provider, the last pass
 * before such text reaches an exception message, a log line or a usage record. Providers echo a
 * masked key ("Incorrect API key provided: sk-abc12***...wxyz"), a buggy proxy might echo the real
 * one, and an error may quote the prompt. The rule, in this order:
 *
 * <ol>
 *   <li>the configured key, wherever it appears: {@code [redacted]};
 *   <li>anything shaped like an API key ({@code sk-}, {@code pk-}, {@code rk-}, {@code gsk_},
 *       {@code key-}, {@code AIza} and 6 more key characters): {@code [redacted]};
 *   <li>e-mail addresses ({@code local@domain.tld}): {@code [email]};
 *   <li>high-entropy tokens — 16 or more characters of {@code [A-Za-z0-9+/=_-]} that mix letters
 *       and digits with a Shannon entropy of at least 3 bits per character, or 24 or more such
 *       characters with at least 4 bits (a key without a known prefix, a session token, a base64
 *       secret): {@code [token]};
 *   <li>runs of 5 or more digits, single spaces, dots, dashes or slashes allowed between them (a
 *       social security, card, phone or account number): {@code [number]}.
 * </ol>
 *
 * This pass is the backstop, not the rule: the error mappers never pass a provider's free text to
 * it (see {@link ErrorTexts}); it cleans what does pass (error types and codes, the gateway's own
 * texts). Thread-safe.
 */
public final class Secrets {
  private static final Pattern KEY_LIKE =
      Pattern.compile("\\b(sk|pk|rk|gsk|key|AIza)[-_A-Za-z0-9*.]{6,}");
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9+/=_-]{16,}");
  private static final Pattern DIGITS = Pattern.compile("\\d(?:[ ./-]?\\d){4,}");

  private static final int MAX_MESSAGE = 500;

  private Secrets() {}

  /** Text fit for an exception: {@link #scrub scrubbed}, and cut at 500 characters. */
  public static String message(String text, @Nullable String secret) {
    String clean = scrub(text, secret);
    return clean.length() > MAX_MESSAGE ? clean.substring(0, MAX_MESSAGE) + "..." : clean;
  }

  /** The text with the given key and everything the rule above names replaced. */
  public static String scrub(String text, @Nullable String secret) {
    String out = withoutKey(text, secret);
    out = KEY_LIKE.matcher(out).replaceAll("[redacted]");
    out = EMAIL.matcher(out).replaceAll("[email]");
    out = tokens(out);
    return DIGITS.matcher(out).replaceAll("[number]");
  }

  /** The text with only the given key replaced: for the opt-in debug log of error bodies. */
  public static String withoutKey(String text, @Nullable String secret) {
    if (secret != null && secret.length() >= 4 && text.contains(secret)) {
      return text.replace(secret, "[redacted]");
    }
    return text;
  }

  private static String tokens(String text) {
    Matcher m = TOKEN.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      String token = m.group();
      if (highEntropy(token)) {
        out.append(text, last, m.start()).append("[token]");
        last = m.end();
      }
    } while (m.find());
    return out.append(text, last, text.length()).toString();
  }

  /** Whether a token looks random rather than like a word, an identifier or a number. */
  private static boolean highEntropy(String token) {
    boolean letter = false;
    boolean digit = false;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      letter |= Character.isLetter(c);
      digit |= Character.isDigit(c);
    }
    double bits = entropy(token);
    return letter && digit && bits >= 3.0 || token.length() >= 24 && bits >= 4.0;
  }

  /** Shannon entropy of the token's characters, in bits per character. */
  private static double entropy(String token) {
    int[] counts = new int[128];
    for (int i = 0; i < token.length(); i++) {
      counts[token.charAt(i) & 0x7f]++;
    }
    double bits = 0;
    double n = token.length();
    for (int count : counts) {
      if (count > 0) {
        double p = count / n;
        bits -= p * Math.log(p) / Math.log(2);
      }
    }
    return bits;
  }
}
