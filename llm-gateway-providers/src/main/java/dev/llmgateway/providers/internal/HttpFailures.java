package dev.llmgateway.providers.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.llmgateway.CallCancelledException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import okhttp3.MediaType;
import org.jspecify.annotations.Nullable;

/**
 * Turns transport-level failures (I/O, timeouts, odd bodies) into typed gateway exceptions; a
 * provider's error answer is classed by {@link ErrorClass}.
 */
public final class HttpFailures {
  private HttpFailures() {}

  /**
   * An I/O failure of a call: an attempt timeout when the call's {@link Watchdog} cancelled it at
   * its deadline ({@code timedOut}), else the provider unavailable (connection refused, reset,
   * dropped).
   *
   * @param limit the attempt's time limit, for the timeout's message
   */
  public static GatewayException io(IOException e, boolean timedOut, Duration limit,
      ErrorDetails details, String when) {
    if (timedOut) {
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
   * Describes a body that is not the format's error, without quoting it: an empty body; a JSON body
   * of another shape (JSON by its media type — {@code application/json}, {@code text/json} or any
   * {@code +json} type such as {@code application/problem+json} — or, whatever its type, because
   * it parses as JSON); a malformed one (typed JSON that does not parse, e.g. cut at the error
   * body limit); or a non-JSON body (an HTML page, a proxy's text). Each with its type and length.
   */
  public static String describeBody(String body, @Nullable String type) {
    if (body.isEmpty()) {
      return "an empty body";
    }
    boolean typedJson = isJsonType(type);
    String what;
    if (parses(body, typedJson)) {
      what = "a JSON body that is not the provider's error format";
    } else {
      what = typedJson ? "a malformed JSON body" : "a non-JSON body";
    }
    return what + " (" + (type == null ? "no content type" : type) + ", " + body.length()
        + " chars)";
  }

  /** Whether a media type is JSON: {@code json} or a {@code +json} suffix, any type. */
  static boolean isJsonType(@Nullable String type) {
    MediaType media = type == null ? null : MediaType.parse(type);
    if (media == null) {
      return false;
    }
    String subtype = media.subtype().toLowerCase(Locale.ROOT);
    return subtype.equals("json") || subtype.endsWith("+json");
  }

  private static boolean parses(String body, boolean typedJson) {
    String trimmed = body.strip();
    if (!typedJson && !trimmed.startsWith("{") && !trimmed.startsWith("[")) {
      return false;
    }
    try {
      Json.MAPPER.readTree(trimmed);
      return true;
    } catch (JacksonException notJson) {
      return false;
    }
  }
}
