package dev.llmgateway.providers.gemini.internal;

import dev.llmgateway.ChatEvent;
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
 * One {@code streamGenerateContent?alt=sse} call (see {@link SseStreamSource} for the mechanics).
 * Gemini streams have no end marker: the body ending after a chunk with a {@code finishReason} is
 * {@code Completed} (preceded by one {@code UsageReport} with the last chunk's counts); ending
 * without one is a {@code Failed} with {@link ProviderUnavailableException}, as are in-band error
 * objects (mapped like HTTP errors). The final message is the decoder's, which keeps the parts in
 * the order Gemini sent them (signatures on the parts that carried them).
 */
public final class GeminiStreamSource extends SseStreamSource {
  private final GeminiErrors errors;
  private GeminiDecoder.@Nullable StreamState state;

  /** A source over the given (not yet executed) call. */
  public GeminiStreamSource(Call call, ChatRequest request, AttemptContext attempt,
      GeminiErrors errors, @Nullable String secret, ReadLimits limits) {
    super(call, request, attempt, secret, limits);
    this.errors = errors;
  }

  @Override
  protected @Nullable String requestIdHeader() {
    return null;
  }

  @Override
  protected Map<String, String> rateLimits(Headers headers) {
    return Map.of();
  }

  @Override
  protected GatewayException httpError(Response response, String body, ErrorDetails details) {
    return errors.http(response.code(), response.headers(), body,
        response.header("content-type"), response.request(), details, secret);
  }

  @Override
  protected void started(ErrorDetails details) {
    state = new GeminiDecoder.StreamState(details, limits);
  }

  @Override
  protected void onEvent(SseEvent sse, ErrorDetails details) {
    state.chunk(sse.data(), this::emit, e -> errors.inStream(e, details, secret));
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
  protected void beforeCompleted(@Nullable Usage reported) {
    if (reported != null) {
      emit(new ChatEvent.UsageReport(reported));
    }
  }

  @Override
  protected ChatResponse.Builder answer() {
    return ChatResponse.builder()
        .message(state.message())
        .finishReason(state.finishReason())
        .rawFinishReason(state.rawFinishReason())
        .providerResponseId(state.id())
        .servedModel(state.modelVersion());
  }
}
