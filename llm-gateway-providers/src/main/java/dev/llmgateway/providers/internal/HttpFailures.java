package dev.llmgateway.providers.internal;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.CallCancelledException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import okhttp3.Call;

/** Turns transport-level failures (I/O, timeouts, odd bodies) into typed gateway exceptions. */
public final class HttpFailures {
  private HttpFailures() {}

  /**
   * An I/O failure of a call: a timeout when the call's own timeout fired, else the provider
   * unavailable (connection refused, reset, dropped).
   */
  public static GatewayException io(IOException e, Call call, Duration limit,
      ErrorDetails details, String when) {
    if (e instanceof InterruptedIOException && call.timeout().timeoutNanos() > 0
        && "timeout".equals(e.getMessage())) {
      return new GatewayTimeoutException(GatewayTimeoutException.Kind.ATTEMPT, limit, details, e);
    }
    return new ProviderUnavailableException(when + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), details, e);
  }

  /**
   * What a call threw that is not an {@link IOException}: a runtime exception as it is, an {@link
   * InterruptedException} (OkHttp, written in Kotlin, throws it undeclared when the calling thread
   * is interrupted while it connects) as a {@link CallCancelledException} with the thread's
   * interrupt restored.
   */
  public static RuntimeException unchecked(Exception e, ErrorDetails details, String what) {
    if (e instanceof RuntimeException r) {
      return r;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new CallCancelledException(what + " was interrupted", e);
    }
    return new ProviderUnavailableException(what + " failed: " + e.getClass().getSimpleName(),
        details, e);
  }

  /** A body that could not be read as the format's JSON. */
  public static GatewayException malformed(String what, ErrorDetails details, Throwable cause) {
    return new ProviderUnavailableException(what + " is not valid JSON of the expected shape ("
        + cause.getClass().getSimpleName() + ")", details, cause);
  }

  /**
   * The typed error an HTTP status means when the format's own codes said nothing more specific:
   * 400/409/413/415/422 invalid request, 401 authentication, 402 quota, 403 access, 404 model not
   * found, 429 rate limited (with the server's delay), 503 overloaded when the message says so else
   * unavailable, 529 overloaded, other 5xx, 408 and no status unavailable, anything else invalid.
   *
   * @param text the exception's message (safe: see {@link ErrorTexts})
   * @param said what the provider said, read to classify and never quoted ("" when nothing)
   */
  public static GatewayException byStatus(int status, String text, String said,
      @org.jspecify.annotations.Nullable Duration retryAfter, ErrorDetails details) {
    switch (status) {
      case 400:
      case 409:
      case 413:
      case 415:
      case 422:
        return new InvalidRequestException(text, details, null);
      case 401:
        return new AuthenticationException(text, details, null);
      case 402:
        return new QuotaExhaustedException(text, details, null);
      case 403:
        return new AccessDeniedException(text, details, null);
      case 404:
        return new ModelNotFoundException(text, details, null);
      case 429:
        return new RateLimitedException(text, retryAfter, details, null);
      case 503:
      case 529:
        return status == 529 || said.toLowerCase(Locale.ROOT).contains("overload")
            ? new ProviderOverloadedException(text, details, null)
            : new ProviderUnavailableException(text, details, null);
      default:
        if (status >= 500 || status == 408 || status == 0) {
          return new ProviderUnavailableException(text, details, null);
        }
        return new InvalidRequestException(text, details, null);
    }
  }

  /** Describes a body that is not the format's JSON, without quoting it. */
  public static String describeBody(String body, @org.jspecify.annotations.Nullable String type) {
    if (body.isEmpty()) {
      return "an empty body";
    }
    return "a non-JSON body (" + (type == null ? "no content type" : type) + ", "
        + body.length() + " chars)";
  }
}
