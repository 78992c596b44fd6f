package dev.llmgateway.providers.gemini.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.providers.internal.ErrorBodies;
import dev.llmgateway.providers.internal.ErrorTexts;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import dev.llmgateway.providers.internal.RetryAfter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps a Gemini error (HTTP status plus the {@code google.rpc.Status} body {@code {"error": {code,
 * message, status, details}}}) onto the {@link GatewayException} tree:
 *
 * <ul>
 *   <li>{@code RESOURCE_EXHAUSTED} / 429: a {@code QuotaFailure} violation whose {@code quotaId}
 *       names a per-day quota ({@code ...PerDay...}) is {@link QuotaExhaustedException} (retrying
 *       before the day ends is pointless); else {@link RateLimitedException} with {@code
 *       RetryInfo.retryDelay} (else a {@code Retry-After} header) as its delay;
 *   <li>{@code ErrorInfo.reason API_KEY_INVALID} (Gemini answers a bad key with 400), {@code
 *       UNAUTHENTICATED} or 401: {@link AuthenticationException};
 *   <li>{@code INVALID_ARGUMENT} / {@code FAILED_PRECONDITION} / 400: {@link
 *       ContextLengthExceededException} when the message says the input exceeds the token limit,
 *       {@link AccessDeniedException} for "User location is not supported", else {@link
 *       InvalidRequestException};
 *   <li>{@code PERMISSION_DENIED} / 403: {@link AccessDeniedException}; {@code NOT_FOUND} / 404:
 *       {@link ModelNotFoundException};
 *   <li>{@code UNAVAILABLE} / 503: {@link ProviderOverloadedException} when the message says the
 *       model is overloaded (Gemini's usual 503), else {@link ProviderUnavailableException};
 *       {@code INTERNAL} / 500, {@code DEADLINE_EXCEEDED} / 504 and other 5xx: {@link
 *       ProviderUnavailableException}.
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
      .code("NOT_FOUND", "The model is not found or does not support this method")
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

  /** A mapper for one provider; {@code logBodies} turns on the debug log of error bodies. */
  public GeminiErrors(String providerName, Clock clock, boolean logBodies) {
    this.providerName = providerName;
    this.clock = clock;
    this.bodies = ErrorBodies.of(logBodies);
  }

  /** Maps an HTTP error response. */
  public GatewayException http(int status, Headers headers, String body,
      @Nullable String contentType, ErrorDetails base, @Nullable String secret) {
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
      String text = providerName + " answered HTTP " + status + " with "
          + HttpFailures.describeBody(body, contentType);
      return classify(status, "", text, "", RetryAfter.parse(headers, clock),
          base.withHttp(status, null, base.requestId()));
    }
    Duration delay = retryDelay(error);
    return map(status, error, delay != null ? delay : RetryAfter.parse(headers, clock), base,
        secret);
  }

  /** Maps an error object that arrived inside a stream. */
  public GatewayException inStream(GeminiDtos.ErrorDto error, ErrorDetails base,
      @Nullable String secret) {
    bodies.inStream(providerName, error.status(), error.code(), error.message(), secret);
    return map(error.code() == null ? 0 : error.code(), error, retryDelay(error), base, secret);
  }

  private GatewayException map(int status, GeminiDtos.ErrorDto error,
      @Nullable Duration retryAfter, ErrorDetails base, @Nullable String secret) {
    String grpc = error.status() == null ? "" : error.status();
    String reason = reason(error);
    String type = ErrorTexts.identifier(error.status());
    String code = ErrorTexts.identifier(reason != null ? reason : grpc.isEmpty() ? null : grpc);
    ErrorDetails details = base.withHttp(status == 0 ? base.httpStatus() : status, code,
        base.requestId());
    String said = error.message() == null ? "" : error.message();
    String text = error.message() == null && code == null
        ? providerName + " answered HTTP " + status
        : TEXTS.message(type, code, error.message(), secret);
    if ("API_KEY_INVALID".equals(reason)) {
      return new AuthenticationException(text, details, null);
    }
    if ((grpc.equals("RESOURCE_EXHAUSTED") || status == 429) && perDay(error)) {
      return new QuotaExhaustedException(text, details, null);
    }
    return classify(status, grpc, text, said, retryAfter, details);
  }

  /**
   * The exception type by status name, then by what the provider said (read, never quoted), then
   * by HTTP status; its message is the safe {@code text}.
   */
  private static GatewayException classify(int status, String grpc, String text, String said,
      @Nullable Duration retryAfter, ErrorDetails details) {
    String lower = said.toLowerCase(Locale.ROOT);
    switch (grpc) {
      case "RESOURCE_EXHAUSTED":
        return new RateLimitedException(text, retryAfter, details, null);
      case "UNAUTHENTICATED":
        return new AuthenticationException(text, details, null);
      case "PERMISSION_DENIED":
        return new AccessDeniedException(text, details, null);
      case "NOT_FOUND":
        return new ModelNotFoundException(text, details, null);
      case "INVALID_ARGUMENT":
      case "FAILED_PRECONDITION":
      case "OUT_OF_RANGE":
        return invalid(text, lower, details);
      case "UNAVAILABLE":
        return unavailable(text, lower, details);
      case "INTERNAL":
      case "DEADLINE_EXCEEDED":
      case "UNKNOWN":
      case "ABORTED":
        return new ProviderUnavailableException(text, details, null);
      default:
        break;
    }
    switch (status) {
      case 400:
      case 409:
      case 413:
      case 422:
        return invalid(text, lower, details);
      case 503:
        return unavailable(text, lower, details);
      default:
        return HttpFailures.byStatus(status, text, said, retryAfter, details);
    }
  }

  private static GatewayException invalid(String text, String lower, ErrorDetails details) {
    if (lower.contains("exceeds the maximum number of tokens")
        || lower.contains("input token count") && lower.contains("exceeds")
        || lower.contains("context length") || lower.contains("too many tokens")) {
      return new ContextLengthExceededException(text, details, null);
    }
    if (lower.contains("location is not supported")) {
      return new AccessDeniedException(text, details, null);
    }
    return new InvalidRequestException(text, details, null);
  }

  private static GatewayException unavailable(String text, String lower, ErrorDetails details) {
    return lower.contains("overloaded")
        ? new ProviderOverloadedException(text, details, null)
        : new ProviderUnavailableException(text, details, null);
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
