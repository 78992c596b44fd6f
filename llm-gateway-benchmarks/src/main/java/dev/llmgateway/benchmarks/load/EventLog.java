package dev.llmgateway.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The streamed calls of one arm and round in the paced mode: per stream, the provider's id of the
 * response and the {@link System#nanoTime()} at which the caller got each content event. It
 * allocates per stream, so it is filled only in the paced mode, where bytes per request are not
 * reported.
 *
 * <p>Not thread-safe: one per caller thread, merged after the round.
 */
final class EventLog {
  /** One stream: its response id and its content events' times. */
  record Stream(String id, long[] eventNanos) {}

  private final List<Stream> streams = new ArrayList<>();
  private int withoutId;

  /** Adds the call that {@code times} describes. */
  void add(StreamTimes times) {
    String id = times.id();
    if (id == null) {
      withoutId++;
    } else {
      streams.add(new Stream(id, times.eventNanos()));
    }
  }

  void add(String id, long[] eventNanos) {
    streams.add(new Stream(id, eventNanos.clone()));
  }

  void addAll(EventLog other) {
    streams.addAll(other.streams);
    withoutId += other.withoutId;
  }

  List<Stream> streams() {
    return streams;
  }

  /** Streams whose response carried no id, so that they cannot be matched to the upstream. */
  int withoutId() {
    return withoutId;
  }
}
