package dev.llmgateway.providers;

import dev.llmgateway.spi.ChatResponseAccumulator;
import org.jspecify.annotations.Nullable;

/**
 * How much of a provider's answer a transport reads before it gives up: the bytes of a response
 * body, of an error body, of one streamed event, and the number of tool calls in one answer. An
 * upstream that sends more (a broken proxy, a runaway model, a hostile endpoint) costs at most the
 * limit in memory: reading stops there, the call is cancelled, and the answer fails with a {@link
 * dev.llmgateway.ResponseTooLargeException} naming the limit and the setting that raises it. An
 * error body over its limit is not a failure of its own: its first part is mapped as usual.
 *
 * <p>Set them once per provider on its builder ({@link HttpProviderBuilder#maxResponseBytes},
 * {@link HttpProviderBuilder#maxErrorBodyBytes}, {@link HttpProviderBuilder#maxSseEventBytes},
 * {@link HttpProviderBuilder#maxToolCalls}, or all at once with {@link
 * HttpProviderBuilder#readLimits(ReadLimits)}). Each default sits far above what a sane answer
 * needs, so only a misbehaving upstream reaches it; the defaults and why:
 *
 * <table>
 *   <caption>read limits</caption>
 *   <tr><th>limit</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@link #maxResponseBytes()}</td><td>32 MiB</td><td>a chat answer's JSON stays below
 *       a few MB (128k output tokens are about 0.5 MB of text); an embeddings answer grows with
 *       its inputs, so it may also take {@value #EMBEDDING_BYTES_PER_INPUT} bytes per input (a
 *       3,072-dimension vector as pretty-printed JSON floats is about 96 KB); on a stream it
 *       bounds the content the answer keeps (text, reasoning, tool calls), in characters, since
 *       a stream's framing repeats with every chunk and can be many times its content</td></tr>
 *   <tr><td>{@link #maxErrorBodyBytes()}</td><td>64 KiB</td><td>an error is a few hundred bytes
 *       of JSON (a proxy's HTML page a few KB), and its head is all the mapping reads; a longer
 *       body is cut there, not failed</td></tr>
 *   <tr><td>{@link #maxSseEventBytes()}</td><td>1 MiB</td><td>a streamed event carries one delta
 *       (a few tokens), or at most one whole tool call (the Gemini API sends each call whole;
 *       Vertex AI's streamed function-call arguments come in pieces, which the transport
 *       assembles within {@link #maxResponseBytes()}); raise it for models that stream images
 *       inline</td></tr>
 *   <tr><td>{@link #maxToolCalls()}</td><td>128</td><td>as many tools as OpenAI accepts in one
 *       request; a streamed tool call's index (OpenAI's {@code tool_calls[].index}) must stay
 *       below it too, since the answer's calls are kept by index</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return a copy.
 */
public final class ReadLimits {
  /** The default {@link #maxResponseBytes()}: 32 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;
  /** The default {@link #maxErrorBodyBytes()}: 64 KiB. */
  public static final int DEFAULT_MAX_ERROR_BODY_BYTES = 64 * 1024;
  /** The default {@link #maxSseEventBytes()}: 1 MiB. */
  public static final int DEFAULT_MAX_SSE_EVENT_BYTES = 1024 * 1024;
  /** The default {@link #maxToolCalls()}: 128, the stream accumulator's own default. */
  public static final int DEFAULT_MAX_TOOL_CALLS = ChatResponseAccumulator.DEFAULT_MAX_TOOL_CALLS;
  /**
   * The bytes an embeddings answer may take per input when that is more than {@link
   * #maxResponseBytes()}: 128 KiB, room for a 3,072-dimension vector in any JSON float format.
   */
  public static final int EMBEDDING_BYTES_PER_INPUT = 128 * 1024;

  private static final ReadLimits DEFAULTS = new ReadLimits(DEFAULT_MAX_RESPONSE_BYTES,
      DEFAULT_MAX_ERROR_BODY_BYTES, DEFAULT_MAX_SSE_EVENT_BYTES, DEFAULT_MAX_TOOL_CALLS);

  private final long maxResponseBytes;
  private final int maxErrorBodyBytes;
  private final int maxSseEventBytes;
  private final int maxToolCalls;

  private ReadLimits(long maxResponseBytes, int maxErrorBodyBytes, int maxSseEventBytes,
      int maxToolCalls) {
    this.maxResponseBytes = positive("maxResponseBytes", maxResponseBytes);
    this.maxErrorBodyBytes = (int) positive("maxErrorBodyBytes", maxErrorBodyBytes);
    this.maxSseEventBytes = (int) positive("maxSseEventBytes", maxSseEventBytes);
    this.maxToolCalls = (int) positive("maxToolCalls", maxToolCalls);
  }

  /** The defaults (see the class doc). */
  public static ReadLimits defaults() {
    return DEFAULTS;
  }

  /**
   * The most bytes a response body may have (an embeddings answer: this, or {@value
   * #EMBEDDING_BYTES_PER_INPUT} bytes per input when that is more); on a stream, the most
   * characters of content (text, reasoning, tool calls) its answer keeps.
   */
  public long maxResponseBytes() {
    return maxResponseBytes;
  }

  /** The most bytes of an error body that are read and mapped; the rest is not read. */
  public int maxErrorBodyBytes() {
    return maxErrorBodyBytes;
  }

  /** The most bytes one server-sent event may have: its lines up to the blank line ending it. */
  public int maxSseEventBytes() {
    return maxSseEventBytes;
  }

  /** The most tool calls one answer may have; a streamed tool call's index must stay below it. */
  public int maxToolCalls() {
    return maxToolCalls;
  }

  /**
   * These limits with another {@link #maxResponseBytes()}.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public ReadLimits withMaxResponseBytes(long bytes) {
    return new ReadLimits(bytes, maxErrorBodyBytes, maxSseEventBytes, maxToolCalls);
  }

  /**
   * These limits with another {@link #maxErrorBodyBytes()}.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public ReadLimits withMaxErrorBodyBytes(int bytes) {
    return new ReadLimits(maxResponseBytes, bytes, maxSseEventBytes, maxToolCalls);
  }

  /**
   * These limits with another {@link #maxSseEventBytes()}.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public ReadLimits withMaxSseEventBytes(int bytes) {
    return new ReadLimits(maxResponseBytes, maxErrorBodyBytes, bytes, maxToolCalls);
  }

  /**
   * These limits with another {@link #maxToolCalls()}.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public ReadLimits withMaxToolCalls(int count) {
    return new ReadLimits(maxResponseBytes, maxErrorBodyBytes, maxSseEventBytes, count);
  }

  private static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
    return value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ReadLimits l && l.maxResponseBytes == maxResponseBytes
        && l.maxErrorBodyBytes == maxErrorBodyBytes && l.maxSseEventBytes == maxSseEventBytes
        && l.maxToolCalls == maxToolCalls;
  }

  @Override
  public int hashCode() {
    return ((Long.hashCode(maxResponseBytes) * 31 + maxErrorBodyBytes) * 31 + maxSseEventBytes)
        * 31 + maxToolCalls;
  }

  @Override
  public String toString() {
    return "ReadLimits[maxResponseBytes=" + maxResponseBytes + ", maxErrorBodyBytes="
        + maxErrorBodyBytes + ", maxSseEventBytes=" + maxSseEventBytes + ", maxToolCalls="
        + maxToolCalls + "]";
  }
}
