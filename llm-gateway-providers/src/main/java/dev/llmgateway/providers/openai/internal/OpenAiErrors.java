package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import dev.llmgateway.providers.internal.RetryAfter;
import dev.llmgateway.providers.internal.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Maps an OpenAI-format error (HTTP status plus {@code {"error": {message, type, param, code}}},
 * Azure's variant with {@code innererror}, or the {@code {"detail": ...}} of FastAPI-based
 * servers) onto the {@link GatewayException} tree. Messages are scrubbed of anything shaped like a
 * key; a body that is not JSON (an HTML page from a proxy) is described, never quoted.
 */
public final class OpenAiErrors {
  private final String providerName;
  private final Clock clock;

  /** A mapper for one provider. */
  public OpenAiErrors(String providerName, Clock clock) {
    this.providerName = providerName;
    this.clock = clock;
  }

  /** Maps an HTTP error response. */
  public GatewayException http(int status, Headers headers, String body,
      @Nullable String contentType, ErrorDetails base, @Nullable String secret) {
    OpenAiDtos.ErrorDto error = null;
    String message = null;
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
        }
      } catch (JacksonException notJson) {
        message = null;
      }
    }
    String code = error == null ? null : code(error);
    ErrorDetails details = base.withHttp(status, code, base.requestId());
    String text = message == null
        ? providerName + " answered HTTP " + status + " with "
            + HttpFailures.describeBody(body, contentType)
        : Secrets.message(message, secret);
    return classify(status, text, code, error, RetryAfter.parse(headers, clock), details);
  }

  /** Maps an error object that arrived inside a stream. */
  public GatewayException inStream(OpenAiDtos.ErrorDto error, ErrorDetails base,
      @Nullable String secret) {
    String code = code(error);
    Integer status = error.code() instanceof Number n ? n.intValue() : null;
    ErrorDetails details = base.withHttp(status, code, base.requestId());
    String text = error.message() == null ? providerName + " sent an error inside the stream"
        : Secrets.message(error.message(), secret);
    return classify(status == null ? 0 : status, text, code, error, null, details);
  }

  private static @Nullable String code(OpenAiDtos.ErrorDto error) {
    if (error.code() != null && !(error.code() instanceof Number)) {
      return String.valueOf(error.code());
    }
    return error.type();
  }

  private static GatewayException classify(int status, String text, @Nullable String code,
      OpenAiDtos.@Nullable ErrorDto error, @Nullable Duration retryAfter, ErrorDetails details) {
    String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
    String lower = text.toLowerCase(Locale.ROOT);
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
    return HttpFailures.byStatus(status, text, retryAfter, details);
  }
}
