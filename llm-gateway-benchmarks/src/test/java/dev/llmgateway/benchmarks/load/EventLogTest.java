package dev.llmgateway.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventLogTest {
  @Test
  void logsTheIdAndEveryRecordedEventOfACall() {
    StreamTimes times = new StreamTimes();
    times.reset(System.nanoTime());
    for (int i = 0; i < 8; i++) {
      times.event();
    }
    times.id("chatcmpl-paced-7");
    EventLog log = new EventLog();
    log.add(times);

    assertThat(log.streams()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo("chatcmpl-paced-7");
      assertThat(s.eventNanos()).hasSize(8).isSorted();
    });
  }

  @Test
  void mergesCallersLogsCountingStreamsWithoutAnId() {
    EventLog one = new EventLog();
    one.add("a", new long[] {1});
    StreamTimes noId = new StreamTimes();
    noId.reset(System.nanoTime());
    one.add(noId);
    EventLog two = new EventLog();
    two.add("b", new long[] {2});

    EventLog merged = new EventLog();
    merged.addAll(one);
    merged.addAll(two);

    assertThat(merged.streams()).extracting(EventLog.Stream::id).containsExactly("a", "b");
    assertThat(merged.withoutId()).isEqualTo(1);
  }
}
