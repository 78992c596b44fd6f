package dev.llmgateway;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The provider's answer was larger than the transport reads: a body, one streamed event, or more
 * tool calls than allowed; {@link #kind()} says which and {@link #limit()} the limit it passed. The
 * transport stopped reading at the limit and cancelled the call, so an answer of any size costs
 * at most the limit in memory.
 *
 * <p>A {@link ProviderUnavailableException}, and so retriable: the limits' defaults sit far above
 * any sane answer, so passing one means the provider (or something between it and the gateway)
 * misbehaved, and the failure counts against the deployment's health and fails over like any
 * other malformed answer. When answers this large are expected, raise the limit the message
 * names.
 */
public class ResponseTooLargeException extends ProviderUnavailableException {
  private final Kind kind;
  private final long limit;

  /** What was too large. */
  public enum Kind {
    /** A response body, in bytes. */
    BODY,
    /** One event of a stream, in bytes. */
    STREAM_EVENT,
    /** The tool calls of one answer, counted (or a tool call's index at or past that count). */
    TOOL_CALLS
  }

  /**
   * Creates one.
   *
   * @param message what was too large, the limit and how to raise it; never the body
   * @param kind what was too large
   * @param limit the limit it passed (bytes, or tool calls)
   * @param details where it came from
   * @param cause the underlying failure, or null
   */
  public ResponseTooLargeException(String message, Kind kind, long limit, ErrorDetails details,
      @Nullable Throwable cause) {
    super(message, details, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.limit = limit;
  }

  /** What was too large. */
  public Kind kind() {
    return kind;
  }

  /** The limit it passed: bytes for a body or an event, a count for tool calls. */
  public long limit() {
    return limit;
  }
}
