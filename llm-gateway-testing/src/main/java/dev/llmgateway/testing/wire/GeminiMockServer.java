package dev.llmgateway.testing.wire;

import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.testing.internal.wire.GeminiResponder;
import dev.llmgateway.testing.internal.wire.Scripted;
import dev.llmgateway.testing.internal.wire.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 * responseId}. Tool calls are {@code functionCall} parts with the script's ids. Streams are {@code
 * text/event-stream}, one {@code data: <GenerateContentResponse>} event per text delta (or per
 * tool call, its arguments whole: Gemini does not split them, so {@code fragments} is ignored), the
 * last with the finish reason and the usage; there is no end marker. Embeddings are {@code
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
 * per-minute {@code QuotaFailure} and {@code RetryInfo.retryDelay: "2s"}; quota exhausted the same
 * with the per-day quota {@code GenerateRequestsPerDayPerProjectPerModel-FreeTier}; server error
 * 500 {@code INTERNAL}; unavailable 503 {@code UNAVAILABLE}; overloaded 503 {@code UNAVAILABLE}
 * "The model is overloaded. Please try again later."
 *
 * <p><b>Faults</b> ({@link MockFault}) behave as in {@link OpenAiMockServer}, in Gemini's shapes:
 * a malformed chunk is <code>data: &#123;not json</code>; an in-band error is {@code data:
 * {"error": {"code": 500, ..., "status": "INTERNAL"}}} and the body ends; a truncated stream ends
 * after the deltas without a finish reason.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class GeminiMockServer implements ProviderMockServer {
  private final ScriptedServer server;
  private final String baseUrl;

  private GeminiMockServer() {
    this.server = ScriptedServer.start("GeminiMockServer", new GeminiResponder());
    this.baseUrl = server.origin() + "/v1beta";
  }

  /** Starts a mock of the Gemini API; its base URL is {@code http://127.0.0.1:<port>/v1beta}. */
  public static GeminiMockServer start() {
    return new GeminiMockServer();
  }

  @Override
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public GeminiMockServer replyText(String text, Usage usage) {
    Objects.requireNonNull(text, "text");
    server.enqueue(new Scripted.Text(List.of(text), usage, Duration.ZERO));
    return this;
  }

  @Override
  public GeminiMockServer replyToolCalls(List<ToolCall> calls, Usage usage) {
    server.enqueue(new Scripted.ToolCalls(calls, 1, usage, Duration.ZERO));
    return this;
  }

  @Override
  public GeminiMockServer streamText(List<String> deltas, Usage usage) {
    server.enqueue(new Scripted.Text(deltas, usage, server.takePace()));
    return this;
  }

  @Override
  public GeminiMockServer streamToolCalls(List<ToolCall> calls, int fragments, Usage usage) {
    server.enqueue(new Scripted.ToolCalls(calls, fragments, usage, server.takePace()));
    return this;
  }

  @Override
  public GeminiMockServer replyEmbeddings(List<float[]> vectors, long inputTokens) {
    server.enqueue(new Scripted.Embeddings(vectors, inputTokens));
    return this;
  }

  @Override
  public GeminiMockServer error(MockError error) {
    server.enqueue(new Scripted.Error(error));
    return this;
  }

  @Override
  public GeminiMockServer fault(MockFault fault, List<String> deltasBefore) {
    server.enqueue(new Scripted.Fault(fault, deltasBefore, server.takePace()));
    return this;
  }

  @Override
  public GeminiMockServer pace(Duration perChunk) {
    server.pace(perChunk);
    return this;
  }

  @Override
  public MockRequest takeRequest() {
    return server.takeRequest();
  }

  @Override
  public int requestCount() {
    return server.requestCount();
  }

  @Override
  public boolean awaitClientDisconnect() {
    return server.awaitClientDisconnect();
  }

  @Override
  public boolean awaitStreamWritten(Duration timeout) {
    return server.awaitStreamWritten(timeout);
  }

  /** How many scripted answers no request has taken yet. */
  public int unconsumed() {
    return server.unconsumed();
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "GeminiMockServer[" + baseUrl + "]";
  }
}
