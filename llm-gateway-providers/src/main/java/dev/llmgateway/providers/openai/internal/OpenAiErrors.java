package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.providers.internal.ErrorBodies;
import dev.llmgateway.providers.internal.ErrorTexts;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import dev.llmgateway.providers.internal.RetryAfter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps an OpenAI-format error (HTTP status plus {@code {"error": {message, type, param, code}}},
 * Azure's variant with {@code innererror}, or the {@code {"detail": ...}} of FastAPI-based
 * servers) onto the {@link GatewayException} tree. The exception's message follows {@link
 * ErrorTexts}: the error's type and code, and the fixed text of a message OpenAI or Azure
 * documents (below), never the provider's own text, which may quote the prompt; a body that is not
 * JSON (an HTML page from a proxy) is described, never quoted. The whole body is logged only when
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

  private final String providerName;
  private final Clock clock;
  private final ErrorBodies bodies;

  /** A mapper for one provider; {@code logBodies} turns on the debug log of error bodies. */
  public OpenAiErrors(String providerName, Clock clock, boolean logBodies) {
    this.providerName = providerName;
    this.clock = clock;
    this.bodies = ErrorBodies.of(logBodies);
  }

  /** Maps an HTTP error response. */
  public GatewayException http(int status, Headers headers, String body,
      @Nullable String contentType, ErrorDetails base, @Nullable String secret) {
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
    String rawCode = error == null ? null : code(error);
    String code = ErrorTexts.identifier(rawCode);
    ErrorDetails details = base.withHttp(status, code, base.requestId());
    String text = parsed
        ? TEXTS.message(error == null ? null : ErrorTexts.identifier(error.type()), code, message,
            secret)
        : providerName + " answered HTTP " + status + " with "
            + HttpFailures.describeBody(body, contentType);
    return classify(status, text, message, rawCode, error, RetryAfter.parse(headers, clock),
        details);
  }

  /** Maps an error object that arrived inside a stream. */
  public GatewayException inStream(OpenAiDtos.ErrorDto error, ErrorDetails base,
      @Nullable String secret) {
    bodies.inStream(providerName, error.type(), error.code(), error.message(), secret);
    String rawCode = code(error);
    String code = ErrorTexts.identifier(rawCode);
    Integer status = error.code() instanceof Number n ? n.intValue() : null;
    ErrorDetails details = base.withHttp(status, code, base.requestId());
    String text = TEXTS.message(ErrorTexts.identifier(error.type()), code, error.message(), secret);
    return classify(status == null ? 0 : status, text, error.message(), rawCode, error, null,
        details);
  }

  private static @Nullable String code(OpenAiDtos.ErrorDto error) {
    if (error.code() != null && !(error.code() instanceof Number)) {
      return String.valueOf(error.code());
    }
    return error.type();
  }

  /**
   * The exception type by code, then by what the provider said (read, never quoted), then by
   * status; its message is the safe {@code text}.
   */
  private static GatewayException classify(int status, String text, @Nullable String said,
      @Nullable String code, OpenAiDtos.@Nullable ErrorDto error, @Nullable Duration retryAfter,
      ErrorDetails details) {
    String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
    String raw = said == null ? "" : said;
    String lower = raw.toLowerCase(Locale.ROOT);
    String type = error == null || error.type() == null ? "" : error.type();
    boolean contentFilter = c.equals("content_filter")
        || (error != null && error.innererror() != null
            && "ResponsibleAIPolicyViolation".equals(error.innererror().code()));
    if (contentFilter) {
      return new ContentFilteredException(text, details, null);
    }
    if (c.equals("context_length_exceeded") || c.equals("string_above_max_length")
        || lower.contains("maximum context length") || lower.contains("context length")) {
      return new ContextLengthExceededException(text, details, null);
    }
    if (c.equals("insufficient_quota") || type.equals("insufficient_quota")) {
      return new QuotaExhaustedException(text, details, null);
    }
    if (c.equals("model_not_found")) {
      return new ModelNotFoundException(text, details, null);
    }
    return HttpFailures.byStatus(status, text, raw, retryAfter, details);
  }
}
