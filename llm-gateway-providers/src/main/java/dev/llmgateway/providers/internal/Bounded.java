package dev.llmgateway.providers.internal;

import dev.llmgateway.ErrorDetails;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.ResponseTooLargeException;
import dev.llmgateway.providers.ReadLimits;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Reads what a provider sends within its {@link ReadLimits}, and words every overrun in one place.
 * A body over its limit fails with a {@link ResponseTooLargeException} after at most the limit
 * plus one socket read was buffered (a declared {@code Content-Length} over the limit fails before
 * reading anything); an error body over its limit is cut there. Either way the call is cancelled
 * first, so that closing the response reads nothing more (OkHttp would otherwise try to drain the
 * rest to reuse the connection). Messages name the limit and the setting that raises it, never
 * the body.
 */
public final class Bounded {
  private Bounded() {}

  /**
   * How large one unary body may be, and the words that say where the limit came from.
   *
   * @param maxBytes the most bytes of a successful answer
   * @param maxErrorBytes the most bytes of an error body read
   * @param setting how the limit came about, for the message
   */
  public record Body(long maxBytes, int maxErrorBytes, String setting) {
    /** The limit of a chat answer: {@link ReadLimits#maxResponseBytes()}. */
    public static Body chat(ReadLimits limits) {
      return new Body(limits.maxResponseBytes(), limits.maxErrorBodyBytes(), "maxResponseBytes");
    }

    /**
     * The limit of an embeddings answer, which grows with its inputs: {@link
     * ReadLimits#maxResponseBytes()} or {@link ReadLimits#EMBEDDING_BYTES_PER_INPUT} per input,
     * whichever is more.
     */
    public static Body embeddings(ReadLimits limits, int inputs) {
      long perInput = (long) ReadLimits.EMBEDDING_BYTES_PER_INPUT * inputs;
      if (perInput <= limits.maxResponseBytes()) {
        return chat(limits);
      }
      return new Body(perInput, limits.maxErrorBodyBytes(), ReadLimits.EMBEDDING_BYTES_PER_INPUT
          + " bytes for each of " + inputs + " inputs, more than maxResponseBytes");
    }
  }

  /**
   * The whole body of a successful answer, as its bytes (UTF-8 JSON, parsed from them).
   *
   * @throws ResponseTooLargeException when it is larger than the limit (the call is cancelled)
   * @throws IOException when reading fails
   */
  public static byte[] answer(ResponseBody body, Call call, Body limit, ErrorDetails details)
      throws IOException {
    long declared = body.contentLength();
    if (declared > limit.maxBytes()) {
      call.cancel();
      throw bodyTooLarge("declares " + declared + " bytes (Content-Length), more than its limit",
          "nothing was read", limit, details);
    }
    BufferedSource source = body.source();
    if (source.request(plusOne(limit.maxBytes()))) {
      call.cancel();
      throw bodyTooLarge("is larger than its limit", "reading stopped there", limit, details);
    }
    return source.readByteArray(); // bytes: JSON parses from them without a String or a char copy
  }

  /**
   * The first {@code maxBytes} bytes of an error body as text (a character cut in two becomes
   * U+FFFD); when the body is longer, the call is cancelled and the rest never read.
   *
   * @throws IOException when reading fails
   */
  public static String errorText(ResponseBody body, Call call, int maxBytes) throws IOException {
    BufferedSource source = body.source();
    if (!source.request(plusOne(maxBytes))) {
      return source.readUtf8();
    }
    call.cancel();
    return source.readUtf8(maxBytes);
  }

  /**
   * A stream whose content (text, reasoning, tool calls), which the final answer keeps, grew past
   * {@link ReadLimits#maxResponseBytes()} characters.
   */
  public static ResponseTooLargeException streamTooLarge(long maxChars, ErrorDetails details) {
    return new ResponseTooLargeException("the streamed answer's content is larger than "
        + "maxResponseBytes (" + maxChars + " characters); reading stopped there"
        + raise("maxResponseBytes", "answers this large"), ResponseTooLargeException.Kind.BODY,
        maxChars, details, null);
  }

  /** A stream event larger than {@link ReadLimits#maxSseEventBytes()}. */
  public static ResponseTooLargeException eventTooLarge(int maxBytes, ErrorDetails details) {
    return new ResponseTooLargeException("a stream event is larger than maxSseEventBytes ("
        + maxBytes + " bytes); reading stopped there" + raise("maxSseEventBytes",
        "events this large"), ResponseTooLargeException.Kind.STREAM_EVENT, maxBytes, details,
        null);
  }

  /**
   * Checks a streamed tool call's index: the answer's calls are kept by index, so it must be below
   * {@link ReadLimits#maxToolCalls()}.
   *
   * @throws ResponseTooLargeException when it is at or past the limit
   * @throws ProviderUnavailableException when it is negative
   */
  public static int toolCallIndex(int index, int maxToolCalls, ErrorDetails details) {
    if (index < 0) {
      throw new ProviderUnavailableException("a streamed tool call has a negative index ("
          + index + ")", details, null);
    }
    if (index >= maxToolCalls) {
      throw new ResponseTooLargeException("a streamed tool call has index " + index
          + ", at or past maxToolCalls (" + maxToolCalls + ")" + raise("maxToolCalls",
          "answers with more tool calls"), ResponseTooLargeException.Kind.TOOL_CALLS,
          maxToolCalls, details, null);
    }
    return index;
  }

  /**
   * Checks the number of tool calls an answer has so far.
   *
   * @throws ResponseTooLargeException when it is past {@link ReadLimits#maxToolCalls()}
   */
  public static void toolCallCount(int count, int maxToolCalls, ErrorDetails details) {
    if (count > maxToolCalls) {
      throw new ResponseTooLargeException("the answer has more than maxToolCalls ("
          + maxToolCalls + ") tool calls" + raise("maxToolCalls", "answers with more tool calls"),
          ResponseTooLargeException.Kind.TOOL_CALLS, maxToolCalls, details, null);
    }
  }

  private static ResponseTooLargeException bodyTooLarge(String what, String read, Body limit,
      ErrorDetails details) {
    return new ResponseTooLargeException("the response body " + what + " of "
        + limit.maxBytes() + " bytes (" + limit.setting() + "); " + read
        + raise("maxResponseBytes", "answers this large"), ResponseTooLargeException.Kind.BODY,
        limit.maxBytes(), details, null);
  }

  private static String raise(String setting, String what) {
    return "; raise " + setting + " on the provider's builder if " + what + " are expected";
  }

  private static long plusOne(long limit) {
    return limit == Long.MAX_VALUE ? limit : limit + 1;
  }
}
