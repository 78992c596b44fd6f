package dev.llmgateway.providers.openai.internal;

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
import java.util.Locale;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * Maps an OpenAI-format error (HTTP status plus {@code {"error": {message, type, param, code}}},
 * Azure's variant with {@code innererror}, or the {@code {"detail": ...}} of FastAPI-based
 * servers) onto the {@link GatewayException} tree by the rule of {@link ErrorClass}: the HTTP
 * status first, then the status the body carries, the type, the code and the documented
 * messages, each only refining what a more trusted one said. The exception's message follows {@link
 * ErrorTexts}: the error's type and code, and the fixed text of a message OpenAI or Azure
 * documents (below), never the provider's own text, which may quote the prompt; a body that is not
 * JSON (an HTML page from a proxy) is described, never quoted. A 404 is a missing model only when
 * the body says so ({@code model_not_found}, Azure's {@code DeploymentNotFound}, a message that a
 * model does not exist); any other 404 (OpenAI's "Invalid URL", Azure's "Resource not found", a
 * page that is not OpenAI's) is a missing endpoint, an {@link
 * dev.llmgateway.EndpointNotFoundException} naming the URL. The whole body is logged only when
 * {@code logProviderErrorBodies} is on ({@link ErrorBodies}). Thread-safe.
 */
public final class OpenAiErrors {
  /**
   * The messages of OpenAI's error-code guide and Azure OpenAI's documented errors, by the start
   * of the message, then by code.
   */
  static final ErrorTexts TEXTS = ErrorTexts.builder()
      .phrase("Incorrect API key provided")
      .phrase("You didn't provide an API key")
      .phrase("Invalid Authentication")
      .phrase("You must be a member of an organization to use the API")
      .phrase("Country, region, or territory not supported")
      .phrase("Rate limit reached")
      .phrase("You exceeded your current quota",
          "You exceeded your current quota, please check your plan and billing details")
      .phrase("This model's maximum context length is",
          "The input exceeds the model's maximum context length")
      .phrase("Your request was rejected as a result of our safety system")
      .phrase("The server had an error", "The server had an error processing your request")
      .phrase("The engine is currently overloaded",
          "The engine is currently overloaded, please try again later")
      .phrase("The service is temporarily unavailable")
      .phrase("The service is temporarily unable to process your request")
      .phrase("Access denied due to invalid subscription key or wrong API endpoint")
      .phrase("Principal does not have access to API/Operation")
      .phrase("The API deployment for this resource does not exist")
      .phrase("Invalid URL")
      .phrase("Resource not found")
      .phrase("The response was filtered due to the prompt triggering Azure OpenAI's content "
          + "management policy")
      .code("context_length_exceeded", "The input exceeds the model's maximum context length")
      .code("string_above_max_length", "A string is longer than its maximum length")
      .code("rate_limit_exceeded", "Rate limit reached")
      .code("insufficient_quota", "You exceeded your current quota")
      .code("model_not_found", "The model does not exist or you do not have access to it")
      .code("invalid_api_key", "Incorrect API key provided")
      .code("content_filter", "The request was rejected by the content filter")
      .code("unsupported_country_region_territory", "Country, region, or territory not supported")
      .code("DeploymentNotFound", "The API deployment for this resource does not exist")
      .code("429", "Rate limit exceeded")
      .build();

  /** What to check when an Azure OpenAI resource answers 404 for its deployment URLs. */
  public static final String AZURE_DEPLOYMENTS_HINT = "Azure OpenAI's endpoint is the resource's "
      + "root (https://{resource}.openai.azure.com) without a path: the transport adds "
      + "/openai/deployments/{deployment}/chat/completions and the api-version, which the resource "
      + "must know too.";
  /** What to check when Azure OpenAI's v1 API answers 404. */
  public static final String AZURE_V1_HINT = "Give azureV1 the resource's root "
      + "(https://{resource}.openai.azure.com) without a path: the transport adds /openai/v1.";

  private final String providerName;
  private final Clock clock;
  private final ErrorBodies bodies;
  private final Endpoints endpoints;

  /**
   * A mapper for one provider; {@code logBodies} turns on the debug log of error bodies, {@code
   * endpoints} says what a 404 for a URL means.
   */
  public OpenAiErrors(String providerName, Clock clock, boolean logBodies, Endpoints endpoints) {
    this.providerName = providerName;
    this.clock = clock;
    this.bodies = ErrorBodies.of(logBodies);
    this.endpoints = endpoints;
  }

  /**
   * What to check when an OpenAI-compatible base URL answers 404: that it ends in the API version,
   * usually {@code /v1}, once.
   */
  public static String endpointHint(HttpUrl baseUrl) {
    return Endpoints.endsInVersion(baseUrl)
        ? "The transport adds /chat/completions (or /embeddings) to it, so it should end in the "
            + "API version once, as https://api.openai.com/v1 does: is the version doubled, or "
            + "part of the path missing?"
        : "OpenAI-compatible base URLs end in the API version, usually /v1 (e.g. "
            + "https://api.openai.com/v1, http://localhost:11434/v1); this one does not.";
  }

  /** Maps an HTTP error response to {@code called} (the request it answered). */
  public GatewayException http(int status, Headers headers, String body,
      @Nullable String contentType, Request called, ErrorDetails base, @Nullable String secret) {
    bodies.http(providerName, status, base.requestId(), body, secret);
    OpenAiDtos.ErrorDto error = null;
    String message = null;
    boolean parsed = false;
    String trimmed = body.strip();
    if (trimmed.startsWith("{")) {
      try {
        OpenAiDtos.ErrorEnvelope envelope =
            Json.MAPPER.readValue(trimmed, OpenAiDtos.ErrorEnvelope.class);
        if (envelope != null) {
          error = envelope.error();
          message = error != null ? error.message()
              : envelope.message() != null ? envelope.message()
              : envelope.detail() != null ? String.valueOf(envelope.detail()) : null;
          parsed = error != null || message != null;
        }
      } catch (JacksonException notJson) {
        parsed = false;
      }
    }
    String code = error == null ? null : ErrorTexts.identifier(code(error));
    ErrorDetails details = base.withHttp(status, code, base.requestId());
    String said = parsed
        ? TEXTS.message(error == null ? null : ErrorTexts.identifier(error.type()), code, message,
            secret)
        : HttpFailures.describeBody(body, contentType);
    ErrorClass decided = error == null
        ? ErrorClass.decide(ErrorClass.ofStatus(status), byMessage(message),
            ErrorClass.modelNotFound(message))
        : ErrorClass.decide(ErrorClass.ofStatus(status),
            ErrorClass.ofBodyStatus(bodyStatus(error)), byType(error.type()), byCode(error),
            byMessage(message), ErrorClass.modelNotFound(message));
    if (decided == ErrorClass.ENDPOINT_NOT_FOUND) {
      return endpoints.notFound(called, said, details, secret);
    }
    String text = parsed ? said : providerName + " answered HTTP " + status + " with " + said;
    return decided.exception(text, RetryAfter.parse(headers, clock), details);
  }

  /**
   * Maps an error object that arrived inside a stream, which has no HTTP status of its own: by
   * the status the body carries ({@code status_code}, as Groq sends it, else {@code status}, else
   * a numeric {@code code}, as vLLM sends it), then its type, then its code (see {@link
   * ErrorClass}); an error that says none of these is the provider's ({@link
   * ErrorClass#UNAVAILABLE}).
   */
  public GatewayException inStream(OpenAiDtos.ErrorDto error, ErrorDetails base,
      @Nullable String secret) {
    bodies.inStream(providerName, error.type(), error.code(), error.message(), secret);
    String code = ErrorTexts.identifier(code(error));
    int status = bodyStatus(error);
    ErrorDetails details = base.withHttp(status == 0 ? base.httpStatus() : status, code,
        base.requestId());
    String text = TEXTS.message(ErrorTexts.identifier(error.type()), code, error.message(), secret);
    return ErrorClass.decide(ErrorClass.ofBodyStatus(status), byType(error.type()), byCode(error),
        byMessage(error.message()), ErrorClass.modelNotFound(error.message()))
        .exception(text, null, details);
  }

  private static @Nullable String code(OpenAiDtos.ErrorDto error) {
    if (error.code() != null && !(error.code() instanceof Number)) {
      return String.valueOf(error.code());
    }
    return error.type();
  }

  /**
   * The HTTP status the error object carries: {@code status_code} (Groq), {@code status} (Azure),
   * or a numeric {@code code} (vLLM, xAI); 0 when it carries none.
   */
  private static int bodyStatus(OpenAiDtos.ErrorDto error) {
    if (error.statusCode() != null) {
      return error.statusCode();
    }
    if (error.status() instanceof Number n) {
      return n.intValue();
    }
    return error.code() instanceof Number n ? n.intValue() : 0;
  }

  /**
   * What the error's {@code type} says: OpenAI's own types ({@code invalid_request_error}, {@code
   * requests} and {@code tokens} for the limit a 429 hit, {@code insufficient_quota}, {@code
   * server_error}), the names other compatible servers use, or null for any other. A "not found"
   * type is a client error: what was not found (a model, the URL) the code or message says.
   */
  private static @Nullable ErrorClass byType(@Nullable String type) {
    if (type == null) {
      return null;
    }
    switch (type) {
      case "invalid_request_error":
      case "BadRequestError":
        return ErrorClass.INVALID_REQUEST;
      case "authentication_error":
      case "AuthenticationError":
        return ErrorClass.AUTHENTICATION;
      case "permission_error":
      case "PermissionDeniedError":
        return ErrorClass.ACCESS_DENIED;
      case "not_found_error":
      case "NotFoundError":
        return ErrorClass.INVALID_REQUEST;
      case "requests":
      case "tokens":
      case "rate_limit_error":
      case "RateLimitError":
        return ErrorClass.RATE_LIMITED;
      case "insufficient_quota":
        return ErrorClass.QUOTA_EXHAUSTED;
      case "overloaded_error":
        return ErrorClass.OVERLOADED;
      case "server_error":
      case "api_error":
      case "InternalServerError":
        return ErrorClass.UNAVAILABLE;
      default:
        return null;
    }
  }

  /** What the error's string {@code code} (and Azure's {@code innererror.code}) says, or null. */
  private static @Nullable ErrorClass byCode(OpenAiDtos.ErrorDto error) {
    if (error.innererror() != null
        && "ResponsibleAIPolicyViolation".equals(error.innererror().code())) {
      return ErrorClass.CONTENT_FILTERED;
    }
    if (!(error.code() instanceof String code)) {
      return null;
    }
    switch (code) {
      case "content_filter":
        return ErrorClass.CONTENT_FILTERED;
      case "context_length_exceeded":
      case "string_above_max_length":
        return ErrorClass.CONTEXT_LENGTH;
      case "insufficient_quota":
        return ErrorClass.QUOTA_EXHAUSTED;
      case "model_not_found":
      case "DeploymentNotFound":
        return ErrorClass.MODEL_NOT_FOUND;
      case "invalid_api_key":
        return ErrorClass.AUTHENTICATION;
      case "unsupported_country_region_territory":
        return ErrorClass.ACCESS_DENIED;
      case "rate_limit_exceeded":
      case "429":
        return ErrorClass.RATE_LIMITED;
      case "tool_use_failed":
        return ErrorClass.INVALID_REQUEST;
      default:
        return null;
    }
  }

  /** What a documented message says (read, never quoted): a context length, an overload. */
  private static @Nullable ErrorClass byMessage(@Nullable String message) {
    if (message == null) {
      return null;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("context length")) {
      return ErrorClass.CONTEXT_LENGTH;
    }
    return lower.contains("overloaded") ? ErrorClass.OVERLOADED : null;
  }
}
