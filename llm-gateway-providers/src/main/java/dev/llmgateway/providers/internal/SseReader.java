package dev.llmgateway.providers.internal;

import java.io.IOException;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads server-sent events one at a time from a response body, as they arrive (no buffering of the
 * whole stream), after the WHATWG rules: lines end in LF or CRLF; {@code data:} lines of one event
 * are joined with LF; a single space after the colon is dropped; lines starting with {@code :} are
 * comments; {@code id:} and {@code retry:} are ignored; an empty line dispatches the event; an
 * event cut off by the end of the stream is not dispatched.
 *
 * <p>An event may have at most {@code maxEventBytes} bytes: its lines (comments included, line
 * ends not) up to the blank line that ends it. No more than that (plus one socket read) is ever
 * buffered: an event that grows past the limit, or a line that does not end within it, throws
 * {@link EventTooLargeException} without reading further. Not thread-safe.
 */
public final class SseReader {
  private final BufferedSource source;
  private final int maxEventBytes;
  private long lineBytes; // the bytes of the line readLine returned last

  /**
   * Reads from the given source.
   *
   * @param maxEventBytes the most bytes one event may have
   */
  public SseReader(BufferedSource source, int maxEventBytes) {
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be > 0, was " + maxEventBytes);
    }
    this.source = source;
    this.maxEventBytes = maxEventBytes;
  }

  /** An event larger than the reader's limit; nothing past the limit was read. */
  public static final class EventTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    EventTooLargeException(int maxEventBytes) {
      super("a server-sent event is larger than " + maxEventBytes + " bytes");
    }
  }

  /**
   * Blocks for the next event.
   *
   * @return the event, or null at the end of the stream
   * @throws EventTooLargeException when the event is larger than the limit
   */
  public @Nullable SseEvent next() throws IOException {
    String event = null;
    String data = null;
    StringBuilder lines = null; // only for events of several data lines
    long used = 0; // bytes of this event's lines so far
    for (;;) {
      String line = readLine(maxEventBytes - used);
      if (line == null) {
        return null;
      }
      int length = line.length();
      if (length == 0) {
        if (data != null) {
          return new SseEvent(event, lines == null ? data : lines.toString());
        }
        event = null;
        used = 0;
        continue;
      }
      used += lineBytes;
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      int fieldEnd = colon < 0 ? length : colon;
      int start = colon < 0 ? length : colon + 1;
      if (start < length && line.charAt(start) == ' ') {
        start++;
      }
      if (fieldEnd == 4 && line.startsWith("data")) {
        String value = line.substring(start);
        if (data == null) {
          data = value;
        } else {
          if (lines == null) {
            lines = new StringBuilder(data);
          }
          lines.append('\n').append(value);
          data = "";
        }
      } else if (fieldEnd == 5 && line.startsWith("event")) {
        event = line.substring(start);
      }
    }
  }

  /**
   * The next line without its end (LF, or CRLF), reading no more than {@code budget} bytes of it
   * plus its end; null at the end of the stream (a last line without its end is dropped: it can
   * only belong to an event the stream cut off).
   */
  private @Nullable String readLine(long budget) throws IOException {
    long newline = source.indexOf((byte) '\n', 0, budget + 2); // room for a CR before the LF
    if (newline < 0) {
      if (source.request(budget + 2)) {
        throw new EventTooLargeException(maxEventBytes);
      }
      return null; // the stream ended within the budget
    }
    long end = newline > 0 && source.getBuffer().getByte(newline - 1) == '\r'
        ? newline - 1 : newline;
    if (end > budget) {
      throw new EventTooLargeException(maxEventBytes);
    }
    lineBytes = end;
    String line = source.readUtf8(end);
    source.skip(newline - end + 1);
    return line;
  }
}
