package dev.llmgateway.providers.anthropic.internal;

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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * Maps an Anthropic error (HTTP status plus {@code {"type":"error","error":{"type","message"},
 * "request_id"}}, or an {@code event: error} inside a stream) onto the {@link GatewayException}
 * tree by the rule of {@link ErrorClass}: the HTTP status first, as Anthropic's own SDKs class
 * errors (429 rate limited with {@code retry-after}, 529 overloaded, other 5xx unavailable, 401,
 * 403, 404, other 4xx invalid), then the error's type, then its documented messages, each only
 * refining what the status said: {@code invalid_request_error} "prompt is too long" is context
 * length exceeded, "credit balance is too low" quota exhausted, "content filtering policy"
 * content filtered; {@code billing_error} is quota exhausted. A 429 whose body says {@code
 * invalid_request_error} (a proxy's) stays a rate limit. An error inside a stream has no status:
 * its type decides ({@code overloaded_error} overloaded, {@code invalid_request_error} invalid,
 * {@code api_error} unavailable), and an unknown type is the provider's. The exception's message follows {@link ErrorTexts}: the error's type and the fixed
 * text of a message Anthropic documents (below), never the provider's own text, which may quote
 * the prompt; a body that is not JSON is described, never quoted. A 404 is a missing model only
 * when its {@code not_found_error} is about a model (the message {@code "model: ..."}); any other
 * 404 (Anthropic's "Not Found" for an unknown path, a page that is not Anthropic's) is a missing
 * endpoint, an {@link dev.llmgateway.EndpointNotFoundException} naming the URL. The whole body is
 * logged only when {@code logProviderErrorBodies} is on ({@link ErrorBodies}). Thread-safe.
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
  private final Endpoints endpoints;

  /**
   * A mapper for one provider; {@code logBodies} turns on the debug log of error bodies, {@code
   * endpoints} says what a 404 for a URL means.
   */
  public AnthropicErrors(String providerName, Clock clock, boolean logBodies,
      Endpoints endpoints) {
    this.providerName = providerName;
    this.clock = clock;
    this.bodies = ErrorBodies.of(logBodies);
    this.endpoints = endpoints;
  }

  /**
   * What to check when Anthropic's base URL answers 404: that it is the API's root, without
   * {@code /v1}, which the transport adds.
   */
  public static String endpointHint(HttpUrl baseUrl) {
    return Endpoints.endsInVersion(baseUrl)
        ? "The transport adds /v1/messages, so Anthropic's base URL is the API's root without "
            + "/v1 (e.g. https://api.anthropic.com); this one ends in a version."
        : "The transport adds /v1/messages to it: Anthropic's base URL is the API's root (e.g. "
            + "https://api.anthropic.com); is part of the path wrong?";
  }

  /** Maps an HTTP error response to {@code called} (the request it answered). */
  public GatewayException http(int status, Headers headers, String body,
      @Nullable String contentType, Request called, ErrorDetails base,
      @Nullable String secret) {
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
    String said = error == null
        ? HttpFailures.describeBody(body, contentType)
        : TEXTS.message(type, type, error.message(), secret);
    ErrorClass decided = ErrorClass.decide(ErrorClass.ofStatus(status),
        error == null ? null : byType(error.type()),
        error == null ? null : byMessage(error.message()));
    if (decided == ErrorClass.ENDPOINT_NOT_FOUND) {
      return endpoints.notFound(called, said, details, secret);
    }
    String text = error == null ? providerName + " answered HTTP " + status + " with " + said
        : said;
    return decided.exception(text, RetryAfter.parse(headers, clock), details);
  }

  /**
   * Maps an error event that arrived inside a stream, which has no HTTP status of its own: by its
   * type, then its documented message; an unknown type is the provider's.
   */
  public GatewayException inStream(AnthropicDtos.ErrorDto error, ErrorDetails base,
      @Nullable String secret) {
    bodies.inStream(providerName, error.type(), null, error.message(), secret);
    String type = ErrorTexts.identifier(error.type());
    ErrorDetails details = base.withHttp(base.httpStatus(), type, base.requestId());
    String text = TEXTS.message(type, type, error.message(), secret);
    return ErrorClass.decide(byType(error.type()), byMessage(error.message()))
        .exception(text, null, details);
  }

  /** What the error's type says (Anthropic's error reference), or null for an unknown type. */
  private static @Nullable ErrorClass byType(@Nullable String type) {
    if (type == null) {
      return null;
    }
    switch (type) {
      case "invalid_request_error":
      case "request_too_large":
        return ErrorClass.INVALID_REQUEST;
      case "authentication_error":
        return ErrorClass.AUTHENTICATION;
      case "permission_error":
        return ErrorClass.ACCESS_DENIED;
      case "not_found_error": // what was not found, a model or the URL, the message says
        return ErrorClass.INVALID_REQUEST;
      case "billing_error":
        return ErrorClass.QUOTA_EXHAUSTED;
      case "rate_limit_error":
        return ErrorClass.RATE_LIMITED;
      case "overloaded_error":
        return ErrorClass.OVERLOADED;
      case "api_error":
      case "timeout_error":
        return ErrorClass.UNAVAILABLE;
      default:
        return null;
    }
  }

  /**
   * What a documented message says (read, never quoted): "prompt is too long", "content filtering
   * policy", "credit balance" (a 400 {@code invalid_request_error} that means an exhausted quota),
   * and a {@code not_found_error}'s {@code "model: claude-..."}, or another message saying a model
   * is not found ({@link ErrorClass#modelNotFound}), a missing model.
   */
  private static @Nullable ErrorClass byMessage(@Nullable String message) {
    if (message == null) {
      return null;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.startsWith("model:")) {
      return ErrorClass.MODEL_NOT_FOUND;
    }
    if (ErrorClass.modelNotFound(message) != null) {
      return ErrorClass.MODEL_NOT_FOUND;
    }
    if (lower.contains("prompt is too long")) {
      return ErrorClass.CONTEXT_LENGTH;
    }
    if (lower.contains("content filtering policy")) {
      return ErrorClass.CONTENT_FILTERED;
    }
    return lower.contains("credit balance") ? ErrorClass.QUOTA_EXHAUSTED : null;
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
