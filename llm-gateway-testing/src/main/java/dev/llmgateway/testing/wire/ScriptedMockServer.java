package dev.llmgateway.testing.wire;

import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.testing.internal.wire.Scripted;
import dev.llmgateway.testing.internal.wire.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The part of every wire-level mock that does not depend on the format: the script queue, pacing,
 * request recording and disconnect detection of a scripted MockWebServer. Each format's mock
 * extends it with its responder (which writes the format's bodies) and its base URL. Thread-safe.
 *
 * @param <S> the concrete mock, returned by every scripting method
 */
public abstract class ScriptedMockServer<S extends ScriptedMockServer<S>>
    implements ProviderMockServer {
  /** The scripted server the format's responder answers from. */
  protected final ScriptedServer server;
  private final String baseUrl;

  /** A mock over a started scripted server; its base URL is the origin plus {@code path}. */
  protected ScriptedMockServer(ScriptedServer server, String path) {
    this.server = server;
    this.baseUrl = server.origin() + path;
  }

  /** This mock, typed as the concrete one. */
  protected abstract S self();

  @Override
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public S replyText(String text, Usage usage) {
    Objects.requireNonNull(text, "text");
    server.enqueue(new Scripted.Text(List.of(text), usage, Duration.ZERO));
    return self();
  }

  @Override
  public S replyToolCalls(List<ToolCall> calls, Usage usage) {
    server.enqueue(new Scripted.ToolCalls(calls, 1, usage, Duration.ZERO));
    return self();
  }

  @Override
  public S streamText(List<String> deltas, Usage usage) {
    server.enqueue(new Scripted.Text(deltas, usage, server.takePace()));
    return self();
  }

  @Override
  public S streamToolCalls(List<ToolCall> calls, int fragments, Usage usage) {
    server.enqueue(new Scripted.ToolCalls(calls, fragments, usage, server.takePace()));
    return self();
  }

  @Override
  public S replyEmbeddings(List<float[]> vectors, long inputTokens) {
    server.enqueue(new Scripted.Embeddings(vectors, inputTokens));
    return self();
  }

  @Override
  public S error(MockError error) {
    server.enqueue(new Scripted.Error(error));
    return self();
  }

  /**
   * A 429 rate-limit error as {@link MockError#RATE_LIMITED} answers it, but asking the client to
   * wait {@code retryAfter} instead of 2 s, written as the format writes it: OpenAI and Azure send
   * {@code retry-after} in whole seconds (rounded up) and the exact milliseconds in {@code
   * retry-after-ms}; Anthropic sends only {@code retry-after}, in whole seconds (rounded up: a
   * sub-second delay asks for 1 s); Gemini sends {@code RetryInfo.retryDelay} exactly ({@code
   * "0.030s"}).
   *
   * @throws IllegalArgumentException when the delay is negative
   */
  public S rateLimited(Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    server.enqueue(new Scripted.Error(MockError.RATE_LIMITED, retryAfter));
    return self();
  }

  @Override
  public S servedModel(@Nullable String model) {
    server.servedModel(model);
    return self();
  }

  @Override
  public S fault(MockFault fault, List<String> deltasBefore) {
    server.enqueue(new Scripted.Fault(fault, deltasBefore, server.takePace()));
    return self();
  }

  @Override
  public S pace(Duration perChunk) {
    server.pace(perChunk);
    return self();
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
    return getClass().getSimpleName() + "[" + baseUrl + "]";
  }
}
