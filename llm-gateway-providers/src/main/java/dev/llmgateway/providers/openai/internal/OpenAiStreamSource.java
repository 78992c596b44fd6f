package dev.llmgateway.providers.openai.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.providers.ReadLimits;
import dev.llmgateway.providers.internal.SseEvent;
import dev.llmgateway.providers.internal.SseStreamSource;
import dev.llmgateway.spi.AttemptContext;
import java.util.Map;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One streamed Chat Completions call (see {@link SseStreamSource} for the mechanics): ends with
 * {@code Completed} after {@code [DONE]}, or after a finish reason when an endpoint omits {@code
 * [DONE]}; an error object inside the stream ends it with its typed error.
 */
public final class OpenAiStreamSource extends SseStreamSource {
  private final OpenAiErrors errors;
  private OpenAiDecoder.@Nullable StreamState state;

  /** A source over the given (not yet executed) call. */
  public OpenAiStreamSource(Call call, ChatRequest request, AttemptContext attempt,
      OpenAiErrors errors, @Nullable String secret, ReadLimits limits) {
    super(call, request, attempt, secret, limits);
    this.errors = errors;
  }

  @Override
  protected String requestIdHeader() {
    return "x-request-id";
  }

  @Override
  protected Map<String, String> rateLimits(Headers headers) {
    return OpenAiHeaders.rateLimits(headers);
  }

  @Override
  protected GatewayException httpError(Response response, String body, ErrorDetails details) {
    return errors.http(response.code(), response.headers(), body,
        response.header("content-type"), response.request(), details, secret);
  }

  @Override
  protected void started(ErrorDetails details) {
    state = new OpenAiDecoder.StreamState(details, limits.maxToolCalls());
  }

  @Override
  protected void onEvent(SseEvent sse, ErrorDetails details) {
    String data = sse.data();
    if (data.equals("[DONE]")) {
      complete();
      return;
    }
    if ("error".equals(sse.event()) && !data.startsWith("{")) {
      throw new ProviderUnavailableException("the stream reported an error", details, null);
    }
    state.chunk(data, this::emit, e -> errors.inStream(e, details, secret));
  }

  @Override
  protected boolean answerComplete() {
    return state.finished();
  }

  @Override
  protected @Nullable Usage reportedUsage() {
    return state == null ? null : state.usage();
  }

  @Override
  protected ChatResponse.Builder answer() {
    return content.toResponse()
        .finishReason(state.finishReason())
        .rawFinishReason(state.rawFinishReason())
        .providerResponseId(state.id())
        .servedModel(state.model());
  }
}
