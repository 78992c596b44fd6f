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
    StringBuilder data = null;
    for (;;) {
      String line = source.readUtf8Line();
      if (line == null) {
        return null;
      }
      if (line.isEmpty()) {
        if (data != null) {
          return new SseEvent(event, data.toString());
        }
        event = null;
        continue;
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = "";
      if (colon >= 0) {
        int start = colon + 1;
        if (start < line.length() && line.charAt(start) == ' ') {
          start++;
        }
        value = line.substring(start);
      }
      if (field.equals("data")) {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      } else if (field.equals("event")) {
        event = value;
      }
    }
  }
}
