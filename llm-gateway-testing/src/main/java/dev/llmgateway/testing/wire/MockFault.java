package dev.llmgateway.testing.wire;

/** Ways a provider fails below the level of a well-formed error response. */
public enum MockFault {
  /**
   * No response headers for a long time (60 s): the client's timeout or cancellation must end it.
   */
  STALL_BEFORE_HEADERS,
  /**
   * The server reads the request, then closes the connection without answering: no status line,
   * no headers (what a crashing server or a load balancer dropping the connection looks like).
   */
  DROP_BEFORE_HEADERS,
  /** A stream that sends some chunks, then stays silent (60 s). */
  STALL_MID_STREAM,
  /** A stream that sends some chunks, then drops the connection. */
  DROP_MID_STREAM,
  /** A stream that sends some chunks, then a chunk that is not valid JSON. */
  MALFORMED_CHUNK,
  /** A stream that sends some chunks, then an error object inside the stream. */
  IN_BAND_ERROR,
  /**
   * A stream that sends some chunks, then an error inside the stream saying the request is
   * invalid, in the format's own shape: Groq's {@code event: error} with {@code
   * invalid_request_error}, {@code tool_use_failed} and {@code status_code: 400} (OpenAI format),
   * Anthropic's {@code event: error} with {@code invalid_request_error}, Gemini's {@code
   * INVALID_ARGUMENT} with code 400. A unary request gets the same error as an HTTP 400. Unlike
   * the other faults it is the caller's: {@code InvalidRequestException}, never retried.
   */
  IN_BAND_INVALID_REQUEST,
  /** A stream that sends some chunks, then ends cleanly without the format's end marker. */
  TRUNCATED_STREAM,
  /** A 502 whose body is an HTML page from a proxy. */
  HTML_ERROR_PAGE,
  /** A 200 with an empty body. */
  EMPTY_BODY,
  /** A 200 whose body is not valid JSON. */
  MALFORMED_BODY,
  /**
   * An answer larger than any client should read: a unary body of 1 GiB (a JSON object whose one
   * string never ends), or a stream that sends some chunks, then one event of 1 GiB. Written piece
   * by piece as the client reads, never held in memory: a client must stop at its limit and hang
   * up.
   */
  OVERSIZED_BODY,
  /**
   * The format's overloaded error (as {@link MockError#OVERLOADED} answers it) with 1 GiB of
   * whitespace after its JSON, written piece by piece: the head of the body is all a client needs
   * to map it.
   */
  OVERSIZED_ERROR_BODY
}
