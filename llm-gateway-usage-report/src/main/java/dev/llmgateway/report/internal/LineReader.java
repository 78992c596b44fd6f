package dev.llmgateway.report.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into {@code \n}-terminated lines without ever holding more than
 * {@code maxLineBytes} of one line: the rest of a longer line is read past and the line reported
 * as {@link Kind#OVERLONG}. A final {@code \r} is dropped. Not thread-safe.
 */
public final class LineReader {

  /** What {@link #next()} found. */
  public enum Kind { LINE, OVERLONG, END }

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] chunk = new byte[64 * 1024];
  private int pos;
  private int limit;
  private byte[] line = new byte[8 * 1024];
  private int length;
  private long number;
  private boolean terminated;

  /**
   * A reader of {@code in}.
   *
   * @param maxLineBytes the longest line kept, in bytes, without its terminator
   */
  public LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Reads the next line.
   *
   * @return {@link Kind#LINE} with the line in {@link #bytes()}, {@link Kind#OVERLONG} for a line
   *     over the limit (its bytes dropped), or {@link Kind#END}
   * @throws IOException when the stream fails
   */
  public Kind next() throws IOException {
    length = 0;
    boolean started = false;
    boolean overlong = false;
    while (true) {
      if (pos == limit) {
        int n = in.read(chunk);
        if (n <= 0) {
          pos = 0;
          limit = 0;
          if (!started) {
            return Kind.END;
          }
          number++;
          terminated = false;
          return finish(overlong);
        }
        pos = 0;
        limit = n;
      }
      started = true;
      int start = pos;
      while (pos < limit && chunk[pos] != '\n') {
        pos++;
      }
      int n = pos - start;
      if (!overlong) {
        if ((long) length + n > maxLineBytes) {
          overlong = true;
        } else {
          append(start, n);
        }
      }
      if (pos < limit) {
        pos++;
        number++;
        terminated = true;
        return finish(overlong);
      }
    }
  }

  private Kind finish(boolean overlong) {
    if (overlong) {
      length = 0;
      return Kind.OVERLONG;
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return Kind.LINE;
  }

  private void append(int start, int n) {
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.max(length + n, Math.min(maxLineBytes, line.length * 2)));
    }
    System.arraycopy(chunk, start, line, length, n);
    length += n;
  }

  /** The current line's bytes, valid up to {@link #length()} until the next call. */
  public byte[] bytes() {
    return line;
  }

  /** The current line's length in bytes. */
  public int length() {
    return length;
  }

  /** The 1-based number of the line last returned. */
  public long lineNumber() {
    return number;
  }

  /** Whether the line last returned ended with {@code \n} (false: the stream ended first). */
  public boolean terminated() {
    return terminated;
  }
}
