package dev.llmgateway.providers.gemini.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.providers.internal.ErrorBodies;
import dev.llmgateway.providers.internal.Endpoints;
import dev.llmgateway.providers.internal.ErrorClass;
import dev.llmgateway.providers.internal.ErrorTexts;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import dev.llmgateway.providers.internal.RetryAfter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * Maps a Gemini error (HTTP status plus the {@code google.rpc.Status} body {@code {"error": {code,
 * message, status, details}}}) onto the {@link GatewayException} tree by the rule of {@link
 * ErrorClass}: the HTTP status first (inside a stream, the status the body's {@code code}
 * carries), then the {@code status} name, then the details and documented messages, each only
 * refining what a more trusted one said:
 *
 * <ul>
 *   <li>429 / {@code RESOURCE_EXHAUSTED}: rate limited, with {@code RetryInfo.retryDelay} (else a
 *       {@code Retry-After} header) as its delay; a {@code QuotaFailure} violation whose {@code
 *       quotaId} names a per-day quota ({@code ...PerDay...}) refines it into quota exhausted
 *       (retrying before the day ends is pointless). A 429 whose body names a client error stays
 *       a rate limit;
 *   <li>400 / {@code INVALID_ARGUMENT}, {@code FAILED_PRECONDITION}, {@code OUT_OF_RANGE}: invalid
 *       request, refined into authentication by {@code ErrorInfo.reason API_KEY_INVALID} (Gemini
 *       answers a bad key with 400), into context length exceeded when the message says the input
 *       exceeds the token limit, into access denied for "User location is not supported";
 *   <li>401 / {@code UNAUTHENTICATED}: authentication; 403 / {@code PERMISSION_DENIED}: access
 *       denied; 404: model not found when the message says a model is not found ({@code
 *       "models/x is not found for API version v1beta, ..."}), else a missing endpoint, an {@link
 *       dev.llmgateway.EndpointNotFoundException} naming the URL (Google's HTML page for an unknown
 *       path, its "Requested entity was not found.", a proxy's page);
 *   <li>5xx / {@code UNAVAILABLE}, {@code INTERNAL}, {@code DEADLINE_EXCEEDED}: unavailable,
 *       refined into overloaded when the message says the model is overloaded (Gemini's usual
 *       503).
 * </ul>
 *
 * The provider code is the {@code ErrorInfo.reason} when there is one, else the {@code status}.
 * The exception's message follows {@link ErrorTexts}: the {@code status}, and the fixed text of a
 * message Google documents (below), never the provider's own text, which may quote the prompt; a
 * body that is not JSON is described, never quoted. The whole body is logged only when {@code
 * logProviderErrorBodies} is on ({@link ErrorBodies}). Thread-safe.
 */
public final class GeminiErrors {
  /**
   * The messages of the Gemini API's troubleshooting guide and of {@code google.rpc} errors, by the
   * start of the message, then by reason or status.
   */
  static final ErrorTexts TEXTS = ErrorTexts.builder()
      .phrase("API key not valid")
      .phrase("API key expired")
      .phrase("The model is overloaded")
      .phrase("The service is currently unavailable")
      .phrase("An internal error has occurred")
      .phrase("The input token count",
          "The input token count exceeds the maximum number of tokens allowed")
      .phrase("User location is not supported for the API use")
      .phrase("You exceeded your current quota",
          "You exceeded your current quota, please check your plan and billing details")
      .phrase("Resource has been exhausted")
      .phrase("Request contains an invalid argument")
      .phrase("Invalid JSON payload received")
      .phrase("Deadline expired before operation could complete")
      .phrase("Method doesn't allow unregistered callers")
      .phrase("The caller does not have permission")
      .phrase("Permission denied")
      .code("API_KEY_INVALID", "API key not valid")
      .phrase("models/", "The model is not found or does not support this method")
      .phrase("Requested entity was not found")
      .code("NOT_FOUND", "Requested entity was not found")
      .code("RESOURCE_EXHAUSTED", "Resource has been exhausted")
      .code("UNAVAILABLE", "The service is currently unavailable")
      .code("INTERNAL", "An internal error has occurred")
      .code("DEADLINE_EXCEEDED", "Deadline expired before operation could complete")
      .code("PERMISSION_DENIED", "Permission denied")
      .code("UNAUTHENTICATED", "The request does not have valid authentication credentials")
      .build();

  private final String providerName;
  private final Clock clock;
  private final ErrorBodies bodies;
  private final Endpoints endpoints;

  /**
   * A mapper for one provider; {@code logBodies} turns on the debug log of error bodies, {@code
   * endpoints} says what a 404 for a URL means.
   */
  public GeminiErrors(String providerName, Clock clock, boolean logBodies, Endpoints endpoints) {
    this.providerName = providerName;
    this.clock = clock;
    this.bodies = ErrorBodies.of(logBodies);
    this.endpoints = endpoints;
  }

  /**
   * What to check when Gemini's base URL answers 404: that it ends in the API version ({@code
   * /v1beta}) once.
   */
  public static String endpointHint(HttpUrl baseUrl) {
    return Endpoints.endsInVersion(baseUrl)
        ? "The transport adds /models/{model}:generateContent to it, so it should end in the API "
            + "version once (e.g. https://generativelanguage.googleapis.com/v1beta): is part of "
            + "the path wrong?"
        : "Gemini's base URL ends in the API version (e.g. "
            + "https://generativelanguage.googleapis.com/v1beta); this one does not.";
  }

  /** Maps an HTTP error response to {@code called} (the request it answered). */
  public GatewayException http(int status, Headers headers, String body,
      @Nullable String contentType, Request called, ErrorDetails base,
      @Nullable String secret) {
    bodies.http(providerName, status, base.requestId(), body, secret);
    GeminiDtos.ErrorDto error = null;
    String trimmed = body.strip();
    if (trimmed.startsWith("{")) {
      try {
        GeminiDtos.ErrorEnvelope envelope =
            Json.MAPPER.readValue(trimmed, GeminiDtos.ErrorEnvelope.class);
        error = envelope == null ? null : envelope.error();
      } catch (JacksonException notJson) {
        error = null;
      }
    }
    if (error == null) {
      String said = HttpFailures.describeBody(body, contentType);
      ErrorDetails details = base.withHttp(status, null, base.requestId());
      ErrorClass decided = ErrorClass.decide(ErrorClass.ofStatus(status));
      if (decided == ErrorClass.ENDPOINT_NOT_FOUND) {
        return endpoints.notFound(called, said, details, secret);
      }
      return decided.exception(providerName + " answered HTTP " + status + " with " + said,
          RetryAfter.parse(headers, clock), details);
    }
    Duration delay = retryDelay(error);
    return map(status, error, delay != null ? delay : RetryAfter.parse(headers, clock), base,
        called, secret);
  }

  /**
   * Maps an error object that arrived inside a stream, which has no HTTP status of its own: by the
   * status its {@code code} carries, then its {@code status} name, then its reason and documented
   * messages; an error that says none of these is the provider's.
   */
  public GatewayException inStream(GeminiDtos.ErrorDto error, ErrorDetails base,
      @Nullable String secret) {
    bodies.inStream(providerName, error.status(), error.code(), error.message(), secret);
    return map(0, error, retryDelay(error), base, null, secret);
  }

  /**
   * The exception by the rule of {@link ErrorClass}: the HTTP status ({@code httpStatus}, 0 inside
   * a stream), the status the body's {@code code} carries, the {@code status} name, then the
   * reason and the documented messages (read, never quoted), each only refining what a more
   * trusted one said; its message is the safe text ({@code called}: the request an HTTP error
   * answered, null inside a stream).
   */
  private GatewayException map(int httpStatus, GeminiDtos.ErrorDto error,
      @Nullable Duration retryAfter, ErrorDetails base, @Nullable Request called,
      @Nullable String secret) {
    int bodyStatus = error.code() == null ? 0 : error.code();
    int status = httpStatus != 0 ? httpStatus : bodyStatus;
    String grpc = error.status() == null ? "" : error.status();
    String reason = reason(error);
    String type = ErrorTexts.identifier(error.status());
    String code = ErrorTexts.identifier(reason != null ? reason : grpc.isEmpty() ? null : grpc);
    ErrorDetails details = base.withHttp(status == 0 ? base.httpStatus() : status, code,
        base.requestId());
    String text = error.message() == null && code == null
        ? providerName + " answered HTTP " + status
        : TEXTS.message(type, code, error.message(), secret);
    ErrorClass decided = ErrorClass.decide(ErrorClass.ofStatus(httpStatus),
        ErrorClass.ofBodyStatus(bodyStatus), byStatusName(grpc),
        "API_KEY_INVALID".equals(reason) ? ErrorClass.AUTHENTICATION : null,
        perDay(error) ? ErrorClass.QUOTA_EXHAUSTED : null, byMessage(error.message()));
    if (decided == ErrorClass.ENDPOINT_NOT_FOUND && called != null) {
      return endpoints.notFound(called, text, details, secret);
    }
    return decided.exception(text, retryAfter, details);
  }

  /** What the {@code google.rpc.Code} name says, or null for an unknown one. */
  private static @Nullable ErrorClass byStatusName(String grpc) {
    switch (grpc) {
      case "RESOURCE_EXHAUSTED":
        return ErrorClass.RATE_LIMITED;
      case "UNAUTHENTICATED":
        return ErrorClass.AUTHENTICATION;
      case "PERMISSION_DENIED":
        return ErrorClass.ACCESS_DENIED;
      case "NOT_FOUND": // what was not found, a model or the URL, the message says
        return ErrorClass.INVALID_REQUEST;
      case "INVALID_ARGUMENT":
      case "FAILED_PRECONDITION":
      case "OUT_OF_RANGE":
        return ErrorClass.INVALID_REQUEST;
      case "UNAVAILABLE":
      case "INTERNAL":
      case "DEADLINE_EXCEEDED":
      case "UNKNOWN":
      case "ABORTED":
        return ErrorClass.UNAVAILABLE;
      default:
        return null;
    }
  }

  /**
   * What a documented message says: the input exceeds the token limit (context length), "User
   * location is not supported" (access denied), the model is overloaded, a model is not found
   * ({@link ErrorClass#modelNotFound}: {@code "models/x is not found for API version v1beta"}).
   */
  private static @Nullable ErrorClass byMessage(@Nullable String message) {
    if (message == null) {
      return null;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("exceeds the maximum number of tokens")
        || lower.contains("input token count") && lower.contains("exceeds")
        || lower.contains("context length") || lower.contains("too many tokens")) {
      return ErrorClass.CONTEXT_LENGTH;
    }
    if (lower.contains("location is not supported")) {
      return ErrorClass.ACCESS_DENIED;
    }
    if (lower.contains("overloaded")) {
      return ErrorClass.OVERLOADED;
    }
    return ErrorClass.modelNotFound(message);
  }

  private static @Nullable String reason(GeminiDtos.ErrorDto error) {
    if (error.details() != null) {
      for (GeminiDtos.Detail d : error.details()) {
        if (d.reason() != null && d.type() != null && d.type().endsWith("google.rpc.ErrorInfo")) {
          return d.reason();
        }
      }
    }
    return null;
  }

  private static boolean perDay(GeminiDtos.ErrorDto error) {
    if (error.details() != null) {
      for (GeminiDtos.Detail d : error.details()) {
        if (d.violations() == null) {
          continue;
        }
        for (GeminiDtos.Violation v : d.violations()) {
          if (v.quotaId() != null && v.quotaId().contains("PerDay")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** {@code RetryInfo.retryDelay} ({@code google.protobuf.Duration} as JSON: {@code "7s"}). */
  static @Nullable Duration retryDelay(GeminiDtos.ErrorDto error) {
    if (error.details() == null) {
      return null;
    }
    for (GeminiDtos.Detail d : error.details()) {
      String delay = d.retryDelay();
      if (delay != null && delay.endsWith("s")) {
        try {
          BigDecimal seconds = new BigDecimal(delay.substring(0, delay.length() - 1).trim());
          if (seconds.signum() >= 0) {
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
          }
        } catch (NumberFormatException | ArithmeticException bad) {
          return null;
        }
      }
    }
    return null;
  }

}
