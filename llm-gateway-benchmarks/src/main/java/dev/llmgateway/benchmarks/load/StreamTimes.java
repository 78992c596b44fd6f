package dev.llmgateway.benchmarks.load;

/**
 * When the content events of one streamed call arrived, as seen by the caller: the runner resets
 * it before each call and the arm calls {@link #event()} for each content delta.
 *
 * <p>Not thread-safe: one per caller thread.
 */
final class StreamTimes {
  private long start;
  private long first;
  private long last;
  private int events;

  void reset(long startNanos) {
    start = startNanos;
    first = 0;
    last = 0;
    events = 0;
  }

  /** A content event arrived now. */
  void event() {
    long now = System.nanoTime();
    if (events == 0) {
      first = now;
    }
    last = now;
    events++;
  }

  int events() {
    return events;
  }

  /** Nanoseconds from the start of the call to its first content event. */
  long timeToFirstEvent() {
    return first - start;
  }

  /** Mean nanoseconds between consecutive content events (0 with fewer than two). */
  long meanEventGap() {
    return events < 2 ? 0 : (last - first) / (events - 1);
  }
}
