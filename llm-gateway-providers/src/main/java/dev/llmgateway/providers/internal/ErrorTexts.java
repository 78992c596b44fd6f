package dev.llmgateway.providers.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What of a provider's error may reach an exception message, a log line or a usage record: an
 * error's message can quote the prompt (a social security number, a card number, an e-mail
 * address, a key without a known prefix), so the provider's free text never passes. The rule:
 *
 * <ol>
 *   <li>The HTTP status and the request id travel in {@link dev.llmgateway.ErrorDetails}.
 *   <li>The provider's error type and code pass only as {@link #identifier identifiers}: at most 64
 *       characters of {@code [A-Za-z0-9_.-]} in which {@link Secrets#scrub} finds nothing to redact
 *       (no digit run, e-mail, key or high-entropy token); anything else is dropped.
 *   <li>The message is the format's own fixed text for what the provider said, from an allow-list
 *       of the provider's documented messages: when the provider's message starts with a listed
 *       phrase (case-insensitively), or else when its code or type has a listed text, the message is
 *       that listed text — the gateway's constant, never the provider's characters, so nothing the
 *       provider appended after the phrase (a model name, an organisation id, token counts, a
 *       quoted value) passes. Otherwise it is {@value #WITHHELD}.
 *   <li>A type that is not already the code is put before the message: {@code
 *       "invalid_request_error: (provider message withheld; ...)"}.
 *   <li>The result goes through {@link Secrets#scrub} with the provider's key, as a last pass.
 * </ol>
 *
 * The provider's full body is available only through the opt-in debug log ({@link ErrorBodies}).
 * Classification (which exception type) may still read the provider's text; it never reaches the
 * message. Thread-safe.
 */
public final class ErrorTexts {
  /** What stands for a message the allow-list does not know. */
  public static final String WITHHELD =
      "provider message withheld (enable logProviderErrorBodies to log it)";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final String[] prefixes;
  private final String[] texts;
  private final Map<String, String> byCode;

  private ErrorTexts(List<String[]> phrases, Map<String, String> byCode) {
    this.prefixes = new String[phrases.size()];
    this.texts = new String[phrases.size()];
    for (int i = 0; i < phrases.size(); i++) {
      prefixes[i] = phrases.get(i)[0].toLowerCase(Locale.ROOT);
      texts[i] = phrases.get(i)[1];
    }
    this.byCode = Map.copyOf(byCode);
  }

  /** An empty allow-list to fill. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The safe message of a provider's error: {@code [type: ]summary}, the summary being the listed
   * text for the provider's message or code (see the rule above) or {@link #WITHHELD}.
   *
   * @param type the provider's error type, already through {@link #identifier}, or null
   * @param code the provider's error code, already through {@link #identifier}, or null
   * @param message the provider's own message, or null; read, never copied
   * @param secret the provider's key, or null
   */
  public String message(@Nullable String type, @Nullable String code, @Nullable String message,
      @Nullable String secret) {
    String summary = summary(type, code, message);
    String text = type != null && !type.equals(code) ? type + ": " + summary : summary;
    return Secrets.message(text, secret);
  }

  /** The listed text for the provider's message, else for its code or type, else withheld. */
  String summary(@Nullable String type, @Nullable String code, @Nullable String message) {
    if (message != null) {
      String lower = message.strip().toLowerCase(Locale.ROOT);
      for (int i = 0; i < prefixes.length; i++) {
        if (lower.startsWith(prefixes[i])) {
          return texts[i];
        }
      }
    }
    String known = code == null ? null : byCode.get(code);
    if (known == null && type != null) {
      known = byCode.get(type);
    }
    return known != null ? known : WITHHELD;
  }

  /**
   * A provider's error type or code as it may be shown and kept: the text itself when it is an
   * identifier (at most 64 characters of {@code [A-Za-z0-9_.-]}) in which {@link Secrets#scrub}
   * finds nothing to redact; else null.
   */
  public static @Nullable String identifier(@Nullable String raw) {
    if (raw == null || !IDENTIFIER.matcher(raw).matches()) {
      return null;
    }
    return Secrets.scrub(raw, null).equals(raw) ? raw : null;
  }

  /** Builds an allow-list. Not thread-safe. */
  public static final class Builder {
    private final List<String[]> phrases = new ArrayList<>();
    private final Map<String, String> byCode = new LinkedHashMap<>();

    private Builder() {}

    /**
     * A documented message: a provider message that starts with {@code prefix} (ignoring case)
     * is shown as {@code text}. Phrases are tried in the order added.
     */
    public Builder phrase(String prefix, String text) {
      phrases.add(new String[] {prefix, text});
      return this;
    }

    /** A documented message shown as the phrase itself. */
    public Builder phrase(String prefixAndText) {
      return phrase(prefixAndText, prefixAndText);
    }

    /** The text of an error code or type whose message matched no phrase. */
    public Builder code(String code, String text) {
      byCode.put(code, text);
      return this;
    }

    /** The allow-list. */
    public ErrorTexts build() {
      return new ErrorTexts(phrases, byCode);
    }
  }
}
