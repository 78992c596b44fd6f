package dev.llmgateway.providers.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from text a provider sends back before it goes into an exception message:
 * providers echo a masked key ("Incorrect API key provided: sk-abc12***...wxyz"), and a buggy proxy
 * might echo the real one. Used on error paths only.
 */
public final class Secrets {
  private static final Pattern KEY_LIKE =
      Pattern.compile("\\b(sk|pk|rk|gsk|key|AIza)[-_A-Za-z0-9*.]{6,}");

  private static final int MAX_MESSAGE = 500;

  private Secrets() {}

  /** A provider's error message fit for an exception: scrubbed, and cut at 500 characters. */
  public static String message(String text, @Nullable String secret) {
    String clean = scrub(text, secret);
    return clean.length() > MAX_MESSAGE ? clean.substring(0, MAX_MESSAGE) + "..." : clean;
  }

  /** The text with the given secret and anything shaped like an API key replaced. */
  public static String scrub(String text, @Nullable String secret) {
    String out = text;
    if (secret != null && secret.length() >= 4 && out.contains(secret)) {
      out = out.replace(secret, "[redacted]");
    }
    return KEY_LIKE.matcher(out).replaceAll("[redacted]");
  }
}
