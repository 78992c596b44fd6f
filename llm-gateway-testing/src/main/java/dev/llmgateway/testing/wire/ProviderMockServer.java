package dev.llmgateway.testing.wire;

import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A provider's HTTP API mocked on a real socket, in that provider's own wire format. Each scripting
 * method queues one HTTP response; requests are answered in order. The same script means the same
 * thing for every format, which is what lets one conformance suite run against every transport.
 *
 * <p>An answer is served in the shape the request asked for: a request that asks to stream gets
 * the answer as a stream (a {@link #replyText reply} as one delta), one that does not gets one body
 * (a {@link #streamText stream}'s deltas joined). Faults that happen midway through a stream hit a
 * unary request midway through its body.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public interface ProviderMockServer extends AutoCloseable {

  /** The base URL a transport of this format should be configured with. */
  String baseUrl();

  /** A unary answer of plain text with the given usage. */
  ProviderMockServer replyText(String text, Usage usage);

  /** A unary answer calling tools (in parallel when there are several). */
  ProviderMockServer replyToolCalls(List<ToolCall> calls, Usage usage);

  /** A streamed answer: one chunk per delta, then the finish, then the usage. */
  ProviderMockServer streamText(List<String> deltas, Usage usage);

  /** A streamed answer calling tools, each call's arguments split into {@code fragments} pieces. */
  ProviderMockServer streamToolCalls(List<ToolCall> calls, int fragments, Usage usage);

  /** An embeddings answer, one vector per input. */
  ProviderMockServer replyEmbeddings(List<float[]> vectors, long inputTokens);

  /** An error response of the given kind, in the format's own error shape. */
  ProviderMockServer error(MockError error);

  /**
   * Makes the answers scripted after this call name {@code model} as the model that served them
   * (answers scripted before keep theirs), where each provider documents that field: OpenAI's (and
   * Azure's) {@code model} on a chat completion, on every streamed chunk and on an embeddings
   * answer; Anthropic's {@code model} on a message (a stream's on {@code message_start}); Gemini's
   * {@code modelVersion} on a response and on every streamed chunk. Providers answer an alias with
   * the dated version that served it ({@code gpt-4o} is answered by {@code gpt-4o-2024-08-06}); by
   * default, and when scripted after {@code servedModel(null)}, an answer names the model the
   * request named (an Azure deployment URL's deployment). The name is sent as given, however long
   * or odd, so that a test can check what a transport keeps of it.
   */
  ProviderMockServer servedModel(@Nullable String model);

  /**
   * A fault. Faults that happen midway through a stream ({@link MockFault#DROP_MID_STREAM}, {@link
   * MockFault#STALL_MID_STREAM}, {@link MockFault#MALFORMED_CHUNK}, {@link
   * MockFault#IN_BAND_ERROR}, {@link MockFault#IN_BAND_INVALID_REQUEST}, {@link
   * MockFault#TRUNCATED_STREAM}) first send the given deltas.
   */
  ProviderMockServer fault(MockFault fault, List<String> deltasBefore);

  /**
   * Paces the next queued stream (the next {@link #streamText}, {@link #streamToolCalls} or {@link
   * #fault}): the server waits this long before each chunk. The wait ends early when the client
   * disconnects or the server closes.
   */
  ProviderMockServer pace(Duration perChunk);

  /**
   * The next request the server received, waiting up to 5 seconds for it.
   *
   * @throws AssertionError when none arrived
   */
  MockRequest takeRequest();

  /** How many requests the server received so far. */
  int requestCount();

  /**
   * Waits until the client of the most recent streamed response disconnected (closed the
   * connection or cancelled) while the response was still being written or held back by a pace or
   * stall, up to 5 seconds. A client that leaves after the response ended is not counted.
   *
   * @return whether it disconnected
   */
  boolean awaitClientDisconnect();

  /**
   * Waits until the server has written the most recent streamed response to its end (its last
   * byte handed to the socket), up to the timeout. A client that stops reading stops the server's
   * writes once the socket buffers are full, so a stream far longer than those buffers stays
   * unwritten: this is how a test sees that a consumer which stops requesting leaves the rest of
   * the stream unread.
   *
   * @return whether it was written to its end in time
   */
  boolean awaitStreamWritten(Duration timeout);

  @Override
  void close();
}
