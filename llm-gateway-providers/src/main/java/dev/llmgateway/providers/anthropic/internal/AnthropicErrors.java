package dev.llmgateway.providers.anthropic.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.ContentFilteredException;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps an Anthropic error (HTTP status plus {@code {"type":"error","error":{"type","message"},
 * "request_id"}}, or an {@code event: error} inside a stream) onto the {@link GatewayException}
 * tree, by the error's type first and the status second: {@code invalid_request_error} is an
 * invalid request, except "prompt is too long" (context length exceeded), "credit balance is too
 * low" (quota exhausted) and "content filtering policy" (content filtered); {@code
 * authentication_error} 401, {@code permission_error} 403, {@code not_found_error} 404 (model not
 * found), {@code request_too_large} 413 (invalid request), {@code billing_error} (quota
 * exhausted), {@code rate_limit_error} 429 (rate limited, with {@code retry-after}), {@code
 * api_error} 500 and {@code timeout_error} 504 (unavailable), {@code overloaded_error} 529
 * (overloaded). The exception's message follows {@link ErrorTexts}: the error's type and the fixed
 * text of a message Anthropic documents (below), never the provider's own text, which may quote
 * the prompt; a body that is not JSON is described, never quoted. The whole body is logged only
 * when {@code logProviderErrorBodies} is on ({@link ErrorBodies}). Thread-safe.
 */
public final class AnthropicErrors {
  /**
   * The messages of Anthropic's error reference, by the start of the message, then the reference's
   * description of each error type but {@code invalid_request_error} (whose messages name what is
   * wrong with the request, so they are withheld unless listed).
   */
  static final ErrorTexts TEXTS = ErrorTexts.builder()
      .phrase("Overloaded")
      .phrase("Internal server error")
      .phrase("Service Unavailable")
      .phrase("invalid x-api-key")
      .phrase("x-api-key header is required")
      .phrase("prompt is too long")
      .phrase("Your credit balance is too low to access the Anthropic API")
      .phrase("Output blocked by content filtering policy")
      .phrase("This request would exceed the rate limit for your organization")
      .phrase("Number of request tokens has exceeded your per-minute rate limit")
      .phrase("Your API key does not have permission to use the specified resource")
      .phrase("Request exceeds the maximum allowed number of bytes")
      .code("authentication_error", "There is an issue with your API key")
      .code("permission_error",
          "Your API key does not have permission to use the specified resource")
      .code("not_found_error", "The requested resource was not found")
      .code("request_too_large", "Request exceeds the maximum allowed number of bytes")
      .code("rate_limit_error", "Your account has hit a rate limit")
      .code("billing_error", "There is an issue with your billing or payment information")
      .code("api_error", "An unexpected error occurred inside Anthropic's systems")
      .code("timeout_error", "The request timed out while processing")
      .code("overloaded_error", "The API is temporarily overloaded")
      .build();

  private final String providerName;
  private final Clock clock;
  private final ErrorBodies bodies;

  /** A mapper for one provider; {@code logBodies} turns on the debug log of error bodies. */
  public AnthropicErrors(String providerName, Clock clock, boolean logBodies) {
    this.providerName = providerName;
    this.clock = clock;
    this.bodies = ErrorBodies.of(logBodies);
  }

  /** Maps an HTTP error response. */
  public GatewayException http(int status, Headers headers, String body,
      @Nullable String contentType, ErrorDetails base, @Nullable String secret) {
    bodies.http(providerName, status, base.requestId(), body, secret);
    AnthropicDtos.ErrorDto error = null;
    String requestId = base.requestId();
    String trimmed = body.strip();
    if (trimmed.startsWith("{")) {
      try {
        AnthropicDtos.ErrorEnvelope envelope =
            Json.MAPPER.readValue(trimmed, AnthropicDtos.ErrorEnvelope.class);
        if (envelope != null) {
          error = envelope.error();
          if (requestId == null) {
            requestId = envelope.requestId();
          }
        }
      } catch (JacksonException notJson) {
        error = null;
      }
    }
    String type = error == null ? null : ErrorTexts.identifier(error.type());
    ErrorDetails details = base.withHttp(status, type, requestId);
    String text = error == null
        ? providerName + " answered HTTP " + status + " with "
            + HttpFailures.describeBody(body, contentType)
        : TEXTS.message(type, type, error.message(), secret);
    return classify(status, error == null ? null : error.type(), text,
        error == null ? null : error.message(), RetryAfter.parse(headers, clock), details);
  }

  /** Maps an error event that arrived inside a stream. */
  public GatewayException inStream(AnthropicDtos.ErrorDto error, ErrorDetails base,
      @Nullable String secret) {
    bodies.inStream(providerName, error.type(), null, error.message(), secret);
    String type = ErrorTexts.identifier(error.type());
    ErrorDetails details = base.withHttp(base.httpStatus(), type, base.requestId());
    String text = TEXTS.message(type, type, error.message(), secret);
    return classify(0, error.type(), text, error.message(), null, details);
  }

  /**
   * The exception type by what the provider said (read, never quoted), then by the error's type,
   * then by status; its message is the safe {@code text}.
   */
  private static GatewayException classify(int status, @Nullable String type, String text,
      @Nullable String said, @Nullable Duration retryAfter, ErrorDetails details) {
    String raw = said == null ? "" : said;
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.contains("prompt is too long")) {
      return new ContextLengthExceededException(text, details, null);
    }
    if (lower.contains("content filtering policy")) {
      return new ContentFilteredException(text, details, null);
    }
    if (lower.contains("credit balance")) {
      return new QuotaExhaustedException(text, details, null);
    }
    String t = type == null ? "" : type;
    switch (t) {
      case "invalid_request_error":
      case "request_too_large":
        return new InvalidRequestException(text, details, null);
      case "authentication_error":
        return new AuthenticationException(text, details, null);
      case "permission_error":
        return new AccessDeniedException(text, details, null);
      case "not_found_error":
        return new ModelNotFoundException(text, details, null);
      case "billing_error":
        return new QuotaExhaustedException(text, details, null);
      case "rate_limit_error":
        return new RateLimitedException(text, retryAfter, details, null);
      case "overloaded_error":
        return new ProviderOverloadedException(text, details, null);
      case "api_error":
      case "timeout_error":
        return new ProviderUnavailableException(text, details, null);
      default:
        break;
    }
    return HttpFailures.byStatus(status, text, raw, retryAfter, details);
  }

  /** The {@code anthropic-ratelimit-*} headers, names in lower case; empty when there are none. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Map<String, String> rateLimits(Headers headers) {
    List<Map.Entry<String, String>> limits = null;
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (name.regionMatches(true, 0, "anthropic-ratelimit-", 0, 20)) {
        if (limits == null) {
          limits = new ArrayList<>(12);
        }
        limits.add(Map.entry(name.toLowerCase(Locale.ROOT), headers.value(i)));
      }
    }
    return limits == null ? Map.of() : Map.ofEntries(limits.toArray(new Map.Entry[0]));
  }
}
