package dev.llmgateway.testing.wire;

import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.testing.internal.wire.GeminiResponder;
import dev.llmgateway.testing.internal.wire.Scripted;
import dev.llmgateway.testing.internal.wire.ScriptedServer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Google Gemini API (v1beta) mocked on a real socket (MockWebServer on 127.0.0.1). Point a
 * Gemini transport at {@link #baseUrl()} ({@code http://127.0.0.1:<port>/v1beta}), script the
 * answers, and check what it sent.
 *
 * <pre>{@code
 * try (GeminiMockServer server = GeminiMockServer.start()) {
 *   server.error(MockError.RATE_LIMITED).replyText("Hello!", Usage.of(12, 3));
 *   Provider gemini = GeminiProvider.builder().baseUrl(server.baseUrl()).apiKey("test").build();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Endpoints.</b> {@code POST /v1beta/models/{model}:generateContent}, {@code
 * :streamGenerateContent?alt=sse} and {@code :batchEmbedContents}; each takes the next scripted
 * answer. Other paths get Google's 404 {@code NOT_FOUND} and take none, a body that is not JSON
 * gets a 400 {@code INVALID_ARGUMENT}, a request with no answer left a 500 naming it. The key is
 * not checked.
 *
 * <p><b>Answers</b> follow Google's protos: a {@code GenerateContentResponse} with one candidate
 * ({@code content.parts}, {@code role: model}, {@code finishReason: STOP}, {@code index}), {@code
 * usageMetadata} ({@code promptTokenCount} including {@code cachedContentTokenCount}, {@code
 * candidatesTokenCount} excluding {@code thoughtsTokenCount}), {@code modelVersion} and {@code
 * responseId}. Tool calls are {@code functionCall} parts with the script's ids, a call's {@link
 * dev.llmgateway.ToolCall#signature() signature} as its part's {@code thoughtSignature}; answers
 * scripted with {@link #thoughtThenText} or {@link #thoughtThenToolCalls} open with a {@code
 * thought: true} part. Streams are {@code text/event-stream}, one {@code data:
 * <GenerateContentResponse>} event per text delta or per tool call, its arguments whole, the last
 * with the finish reason and the usage; there is no end marker. When the request asks for streamed
 * arguments ({@code toolConfig.functionCallingConfig.streamFunctionCallArguments: true}, Vertex
 * AI's option) and the script splits arguments into {@code fragments}, each call comes in pieces as
 * Vertex AI streams it: a part naming the function with {@code willContinue: true}, one {@code
 * partialArgs} value per event (strings in {@code fragments} pieces), then an empty {@code
 * functionCall} that ends it; otherwise {@code fragments} is ignored. Embeddings are {@code
 * {"embeddings": [{"values": [...]}]}}, without token counts (Gemini reports none), so {@code
 * inputTokens} is not sent.
 *
 * <p><b>Errors</b> ({@link MockError}), {@code google.rpc.Status} bodies: context length 400
 * {@code INVALID_ARGUMENT} "The input token count (...) exceeds the maximum number of tokens
 * allowed"; invalid request 400 {@code INVALID_ARGUMENT}; content filtered a 200 whose prompt was
 * blocked ({@code promptFeedback.blockReason: SAFETY}, no candidates; on a stream as its only
 * event); authentication 400 {@code INVALID_ARGUMENT} with {@code ErrorInfo.reason
 * API_KEY_INVALID} (what Gemini answers to a bad key); permission 403 {@code PERMISSION_DENIED};
 * model not found 404 {@code NOT_FOUND}; rate limited 429 {@code RESOURCE_EXHAUSTED} with a
 * per-minute {@code QuotaFailure} and {@code RetryInfo.retryDelay: "2s"} (or the delay {@link
 * #rateLimited(java.time.Duration)} chose, e.g. {@code "0.030s"}); rate limited by a proxy 429
 * with {@code Retry-After: 2} and a 400 {@code INVALID_ARGUMENT} body; quota exhausted the same
 * with the per-day quota {@code GenerateRequestsPerDayPerProjectPerModel-FreeTier}; server error
 * 500 {@code INTERNAL}; unavailable 503 {@code UNAVAILABLE}; overloaded 503 {@code UNAVAILABLE}
 * "The model is overloaded. Please try again later."
 *
 * <p><b>Faults</b> ({@link MockFault}) behave as in {@link OpenAiMockServer}, in Gemini's shapes:
 * a malformed chunk is <code>data: &#123;not json</code>; an in-band error is {@code data:
 * {"error": {"code": 500, ..., "status": "INTERNAL"}}} and the body ends, an in-band invalid
 * request the same with code 400 {@code INVALID_ARGUMENT} (a unary request: a 400 of it); a
 * truncated stream ends
 * after the deltas without a finish reason; an oversized error body is the 503 {@code UNAVAILABLE}
 * overloaded error followed by 1 GiB of spaces.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class GeminiMockServer extends ScriptedMockServer<GeminiMockServer> {

  private final GeminiResponder responder;

  private GeminiMockServer(GeminiResponder responder) {
    super(ScriptedServer.start("GeminiMockServer", responder), "/v1beta");
    this.responder = responder;
  }

  /** Starts a mock of the Gemini API; its base URL is {@code http://127.0.0.1:<port>/v1beta}. */
  public static GeminiMockServer start() {
    return new GeminiMockServer(new GeminiResponder());
  }

  /**
   * An answer that thinks, then answers with text: a {@code thought: true} part with the given
   * summary (and {@code thoughtSignature} when {@code signature} is not null), then the text
   * (streamed or not, as the request asks).
   */
  public GeminiMockServer thoughtThenText(String thought, @Nullable String signature,
      String text, Usage usage) {
    Scripted answer = new Scripted.Text(List.of(text), usage, server.takePace());
    responder.think(answer, new GeminiResponder.Thought(thought, signature));
    server.enqueue(answer);
    return this;
  }

  /**
   * An answer that thinks (as {@link #thoughtThenText}), then calls tools, each call's signature
   * on its {@code functionCall} part.
   */
  public GeminiMockServer thoughtThenToolCalls(String thought, @Nullable String signature,
      List<ToolCall> calls, Usage usage) {
    Scripted answer = new Scripted.ToolCalls(calls, 3, usage, server.takePace());
    responder.think(answer, new GeminiResponder.Thought(thought, signature));
    server.enqueue(answer);
    return this;
  }

  @Override
  protected GeminiMockServer self() {
    return this;
  }
}
