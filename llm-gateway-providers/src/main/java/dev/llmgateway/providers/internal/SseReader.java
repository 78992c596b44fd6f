package dev.llmgateway.providers.internal;

import java.io.IOException;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads server-sent events one at a time from a response body, as they arrive (no buffering of the
 * whole stream), after the WHATWG rules: lines end in LF or CRLF; {@code data:} lines of one event
 * are joined with LF; a single space after the colon is dropped; lines starting with {@code :} are
 * comments; {@code id:} and {@code retry:} are ignored; an empty line dispatches the event; an
 * event cut off by the end of the stream is not dispatched. Not thread-safe.
 */
public final class SseReader {
  private final BufferedSource source;

  /** Reads from the given source. */
  public SseReader(BufferedSource source) {
    this.source = source;
  }

  /**
   * Blocks for the next event.
   *
   * @return the event, or null at the end of the stream
   */
  public @Nullable SseEvent next() throws IOException {
    String event = null;
    String data = null;
    StringBuilder lines = null; // only for events of several data lines
    for (;;) {
      String line = source.readUtf8Line();
      if (line == null) {
        return null;
      }
      int length = line.length();
      if (length == 0) {
        if (data != null) {
          return new SseEvent(event, lines == null ? data : lines.toString());
        }
        event = null;
        continue;
      }
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
}
