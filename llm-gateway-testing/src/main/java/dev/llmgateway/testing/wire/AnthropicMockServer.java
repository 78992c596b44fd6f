package dev.llmgateway.testing.wire;

import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.testing.internal.wire.AnthropicResponder;
import dev.llmgateway.testing.internal.wire.Scripted;
import dev.llmgateway.testing.internal.wire.ScriptedServer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Anthropic Messages API mocked on a real socket (MockWebServer on 127.0.0.1). Point an
 * Anthropic transport at {@link #baseUrl()}, script the answers, and check what it sent.
 *
 * <pre>{@code
 * try (AnthropicMockServer server = AnthropicMockServer.start()) {
 *   server.error(MockError.OVERLOADED).replyText("Hello!", Usage.of(12, 3));
 *   Provider anthropic = AnthropicProvider.builder().baseUrl(server.baseUrl()).apiKey("k").build();
 *   ...
 *   MockRequest sent = server.takeRequest();
 * }
 * }</pre>
 *
 * <p><b>Endpoint.</b> {@code POST /v1/messages}; each request there takes the next scripted answer.
 * Other paths get Anthropic's 404 {@code not_found_error} and take none; a body that is not JSON,
 * or lacks {@code model} or {@code max_tokens}, gets a 400 {@code invalid_request_error}; a request
 * with no answer left gets a 500 naming it. The key is not checked.
 *
 * <p><b>Answers</b> follow Anthropic's API reference: {@code message} bodies with {@code content}
 * blocks ({@code text}, {@code tool_use} with {@code input} as an object; {@code thinking} with its
 * {@code signature} and {@code redacted_thinking} for answers scripted with {@link
 * #thinkingThenText} or {@link #thinkingThenToolCalls}), {@code stop_reason} {@code end_turn} or
 * {@code tool_use}, and {@code usage} with {@code input_tokens} the uncached part of the canonical
 * input, {@code cache_read_input_tokens} the cached part, {@code cache_creation_input_tokens} the
 * cache writes and {@code cache_creation.ephemeral_5m/1h_input_tokens} their split (canonical
 * reasoning tokens have no Anthropic field and are not sent). Streams are {@code
 * text/event-stream}, chunked, each event an {@code event:} line and a {@code data:} line: {@code
 * message_start} (input usage, {@code output_tokens: 1}), then per block {@code
 * content_block_start}, its deltas ({@code thinking_delta} and {@code signature_delta}; {@code
 * text_delta} one per scripted delta; {@code input_json_delta}, the first one empty as the API
 * sends it, then the arguments in fragments) and {@code content_block_stop}, a {@code ping}, then
 * {@code message_delta} with the stop reason and final usage, and {@code message_stop}. Every
 * response carries {@code request-id} and {@code anthropic-ratelimit-*} headers, except the proxy's
 * HTML page.
 *
 * <p><b>Errors</b> ({@link MockError}), each {@code {"type":"error","error":{type, message},
 * "request_id"}}: context length 400 {@code invalid_request_error} "prompt is too long: ...";
 * invalid
 * request 400; content filtered 400 "Output blocked by content filtering policy"; authentication
 * 401
 * {@code authentication_error} "invalid x-api-key"; permission 403 {@code permission_error}; model
 * not found 404 {@code not_found_error}; rate limited 429 {@code rate_limit_error} with {@code
 * retry-after: 2} (or the delay {@link #rateLimited(java.time.Duration)} chose, in whole seconds
 * rounded up); rate limited by a proxy 429 with {@code retry-after: 2} and an {@code
 * invalid_request_error} body; quota exhausted 400 "Your credit balance is too low ..." (as
 * Anthropic answers it); server error 500 {@code api_error}; unavailable 503 {@code api_error}; overloaded 529 {@code
 * overloaded_error}.
 *
 * <p><b>Faults</b> ({@link MockFault}) as {@link OpenAiMockServer} serves them, in this format: a
 * malformed chunk is <code>event: content_block_delta</code> with <code>data: &#123;not json</code>
 * (then the rest of the stream); an in-band error is {@code event: error} with an {@code
 * overloaded_error}, an in-band invalid request the same with an {@code invalid_request_error}
 * (a unary request: a 400 of it); a truncated stream ends after the deltas, without {@code message_delta} and
 * {@code message_stop}; an oversized error body is the 529 {@code overloaded_error} followed by 1
 * GiB of spaces.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class AnthropicMockServer extends ScriptedMockServer<AnthropicMockServer> {
  private final AnthropicResponder responder;

  private AnthropicMockServer(AnthropicResponder responder) {
    super(ScriptedServer.start("AnthropicMockServer", responder), "");
    this.responder = responder;
  }

  /** Starts a mock; its base URL is {@code http://127.0.0.1:<port>}. */
  public static AnthropicMockServer start() {
    return new AnthropicMockServer(new AnthropicResponder());
  }

  /**
   * An answer that thinks, then answers with text: a {@code thinking} block with the given text
   * and signature, a {@code redacted_thinking} block with the given data when it is not null, then
   * the text (streamed or not, as the request asks).
   */
  public AnthropicMockServer thinkingThenText(String thinking, String signature,
      @Nullable String redactedData, String text, Usage usage) {
    Scripted answer = new Scripted.Text(List.of(text), usage, server.takePace());
    responder.think(answer, new AnthropicResponder.Thinking(thinking, signature, redactedData));
    server.enqueue(answer);
    return this;
  }

  /** An answer that thinks (as {@link #thinkingThenText}), then calls tools. */
  public AnthropicMockServer thinkingThenToolCalls(String thinking, String signature,
      @Nullable String redactedData, List<ToolCall> calls, Usage usage) {
    Scripted answer = new Scripted.ToolCalls(calls, 3, usage, server.takePace());
    responder.think(answer, new AnthropicResponder.Thinking(thinking, signature, redactedData));
    server.enqueue(answer);
    return this;
  }

  @Override
  protected AnthropicMockServer self() {
    return this;
  }
}
