package dev.llmgateway.providers.internal;

import dev.llmgateway.CallCancelledException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import okhttp3.Call;

/**
 * Turns transport-level failures (I/O, timeouts, odd bodies) into typed gateway exceptions; a
 * provider's error answer is classed by {@link ErrorClass}.
 */
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

  /** Describes a body that is not the format's JSON, without quoting it. */
  public static String describeBody(String body, @org.jspecify.annotations.Nullable String type) {
    if (body.isEmpty()) {
      return "an empty body";
    }
    return "a non-JSON body (" + (type == null ? "no content type" : type) + ", "
        + body.length() + " chars)";
  }
}
