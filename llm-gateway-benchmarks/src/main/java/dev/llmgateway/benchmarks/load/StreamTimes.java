package dev.llmgateway.benchmarks.load;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * When the content events of one streamed call arrived, as seen by the caller: the runner resets
 * it before each call and the arm calls {@link #event()} for each content delta, and at the end
 * {@link #id} with the provider's id of the response. The times of the first {@value #RECORDED}
 * events are kept for the paced check ({@link Lateness}); recording them is an array store, no
 * allocation.
 *
 * <p>Not thread-safe: one per caller thread.
 */
final class StreamTimes {
  /** Events whose individual times are kept; the upstream sends eight. */
  static final int RECORDED = 32;

  private final long[] at = new long[RECORDED];
  private long start;
  private long first;
  private long last;
  private int events;
  private @Nullable String id;

  void reset(long startNanos) {
    start = startNanos;
    first = 0;
    last = 0;
    events = 0;
    id = null;
  }

  /** A content event arrived now. */
  void event() {
    long now = System.nanoTime();
    if (events == 0) {
      first = now;
    }
    if (events < RECORDED) {
      at[events] = now;
    }
    last = now;
    events++;
  }

  /** The provider's id of the streamed response (the chunks' {@code id}), if it has one. */
  void id(@Nullable String responseId) {
    id = responseId;
  }

  @Nullable String id() {
    return id;
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

  /** The {@link System#nanoTime()} of each recorded content event, in order (a copy). */
  long[] eventNanos() {
    return Arrays.copyOf(at, Math.min(events, RECORDED));
  }
}
