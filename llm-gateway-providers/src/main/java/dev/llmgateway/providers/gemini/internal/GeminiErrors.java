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
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import dev.llmgateway.providers.internal.RetryAfter;
import dev.llmgateway.providers.internal.Secrets;
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
 * Messages are scrubbed of the key and anything shaped like one; a body that is not JSON is
 * described, never quoted. Thread-safe.
 */
public final class GeminiErrors {
  private final String providerName;
  private final Clock clock;

  /** A mapper for one provider. */
  public GeminiErrors(String providerName, Clock clock) {
    this.providerName = providerName;
    this.clock = clock;
  }

  /** Maps an HTTP error response. */
  public GatewayException http(int status, Headers headers, String body,
      @Nullable String contentType, ErrorDetails base, @Nullable String secret) {
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
      return classify(status, "", text, null, RetryAfter.parse(headers, clock),
          base.withHttp(status, null, base.requestId()));
    }
    Duration delay = retryDelay(error);
    return map(status, error, delay != null ? delay : RetryAfter.parse(headers, clock), base,
        secret);
  }

  /** Maps an error object that arrived inside a stream. */
  public GatewayException inStream(GeminiDtos.ErrorDto error, ErrorDetails base,
      @Nullable String secret) {
    return map(error.code() == null ? 0 : error.code(), error, retryDelay(error), base, secret);
  }

  private GatewayException map(int status, GeminiDtos.ErrorDto error,
      @Nullable Duration retryAfter, ErrorDetails base, @Nullable String secret) {
    String grpc = error.status() == null ? "" : error.status();
    String reason = reason(error);
    String code = reason != null ? reason : grpc.isEmpty() ? null : grpc;
    ErrorDetails details = base.withHttp(status == 0 ? base.httpStatus() : status, code,
        base.requestId());
    String text = error.message() == null
        ? providerName + " answered " + (grpc.isEmpty() ? "HTTP " + status : grpc)
        : Secrets.message(error.message(), secret);
    if ("API_KEY_INVALID".equals(reason)) {
      return new AuthenticationException(text, details, null);
    }
    if ((grpc.equals("RESOURCE_EXHAUSTED") || status == 429) && perDay(error)) {
      return new QuotaExhaustedException(text, details, null);
    }
    return classify(status, grpc, text, error, retryAfter, details);
  }

  private static GatewayException classify(int status, String grpc, String text,
      GeminiDtos.@Nullable ErrorDto error, @Nullable Duration retryAfter, ErrorDetails details) {
    String lower = text.toLowerCase(Locale.ROOT);
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
        return HttpFailures.byStatus(status, text, retryAfter, details);
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
