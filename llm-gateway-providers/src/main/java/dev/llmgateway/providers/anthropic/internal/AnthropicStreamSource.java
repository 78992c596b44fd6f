package dev.llmgateway.providers.anthropic.internal;

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
 * One streamed Messages call (see {@link SseStreamSource} for the mechanics): ends with {@code
 * Completed} after {@code message_stop} (or after a stop reason when the stream ends without it);
 * {@code event: error} ends it with its typed error.
 */
public final class AnthropicStreamSource extends SseStreamSource {
  private final AnthropicErrors errors;
  private AnthropicDecoder.@Nullable StreamState state;

  /** A source over the given (not yet executed) call. */
  public AnthropicStreamSource(Call call, ChatRequest request, AttemptContext attempt,
      AnthropicErrors errors, @Nullable String secret, ReadLimits limits) {
    super(call, request, attempt, secret, limits);
    this.errors = errors;
  }

  @Override
  protected String requestIdHeader() {
    return "request-id";
  }

  @Override
  protected Map<String, String> rateLimits(Headers headers) {
    return AnthropicErrors.rateLimits(headers);
  }

  @Override
  protected GatewayException httpError(Response response, String body, ErrorDetails details) {
    return errors.http(response.code(), response.headers(), body,
        response.header("content-type"), response.request(), details, secret);
  }

  @Override
  protected void started(ErrorDetails details) {
    state = new AnthropicDecoder.StreamState(details, limits.maxToolCalls());
  }

  @Override
  protected void onEvent(SseEvent sse, ErrorDetails details) {
    if ("error".equals(sse.event()) && !sse.data().startsWith("{")) {
      throw new ProviderUnavailableException("the stream reported an error", details, null);
    }
    state.event(sse.event(), sse.data(), this::emit, e -> errors.inStream(e, details, secret));
    if (state.stopped()) {
      complete();
    }
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
        .rawFinishReason(state.rawStopReason())
        .providerResponseId(state.id())
        .servedModel(state.model());
  }

  /**
   * Keeps the input counts {@code message_start} reported; the output so far is the larger of the
   * last reported count and an estimate of the content received.
   */
  @Override
  protected Usage failedUsage(long estimatedOutputTokens) {
    Usage reported = reportedUsage();
    if (reported == null || reported.outputTokens() >= estimatedOutputTokens) {
      return super.failedUsage(estimatedOutputTokens);
    }
    return new Usage(reported.inputTokens(), estimatedOutputTokens, reported.cachedInputTokens(),
        reported.cacheWriteTokens(), reported.cacheWrite1hTokens(), 0, true);
  }
}
