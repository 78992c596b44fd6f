package dev.llmgateway.providers.internal;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in debug log of providers' error bodies, for a developer who needs the text that {@link
 * ErrorTexts} keeps out of exceptions and records. Off unless the provider's builder says {@code
 * logProviderErrorBodies(true)}; then each error body (up to 16,384 characters, the provider's key
 * replaced, nothing else redacted: it may hold personal data from the prompt) is logged at DEBUG to
 * the logger {@value #LOGGER}, which must be at DEBUG too. Unsafe for production. Thread-safe.
 */
public final class ErrorBodies {
  /** The name of the dedicated logger. */
  public static final String LOGGER = "dev.llmgateway.providers.ErrorBodies";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final int MAX_LOGGED = 16_384;
  private static final ErrorBodies OFF = new ErrorBodies(false);
  private static final ErrorBodies ON = new ErrorBodies(true);

  private final boolean enabled;

  private ErrorBodies(boolean enabled) {
    this.enabled = enabled;
  }

  /** The log, on or off. */
  public static ErrorBodies of(boolean enabled) {
    return enabled ? ON : OFF;
  }

  /** Logs an HTTP error response's body when enabled. */
  public void http(String provider, int status, @Nullable String requestId, String body,
      @Nullable String secret) {
    if (enabled && log.isDebugEnabled()) {
      log.debug("{} answered HTTP {} (request id {}) with this body: {}", provider, status,
          requestId, cut(Secrets.withoutKey(body, secret)));
    }
  }

  /** Logs an error that arrived inside a stream when enabled. */
  public void inStream(String provider, @Nullable String type, @Nullable Object code,
      @Nullable String message, @Nullable String secret) {
    if (enabled && log.isDebugEnabled()) {
      log.debug("{} sent an error inside the stream: type {}, code {}, message {}", provider, type,
          code, message == null ? null : cut(Secrets.withoutKey(message, secret)));
    }
  }

  private static String cut(String text) {
    return text.length() > MAX_LOGGED ? text.substring(0, MAX_LOGGED) + "..." : text;
  }
}
