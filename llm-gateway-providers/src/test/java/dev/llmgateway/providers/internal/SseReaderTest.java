package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static List<SseEvent> read(String wire) throws Exception {
    SseReader reader = new SseReader(new Buffer().writeUtf8(wire));
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent e = reader.next(); e != null; e = reader.next()) {
      events.add(e);
    }
    return events;
  }

  @Test
  void dataLinesOfOneEventAreJoinedWithNewlines() throws Exception {
    assertThat(read("data: a\ndata: b\n\n"))
        .containsExactly(new SseEvent(null, "a\nb"));
  }

  @Test
  void crlfLineEndsWorkLikeLf() throws Exception {
    assertThat(read("event: message\r\ndata: {\"x\":1}\r\n\r\ndata: [DONE]\r\n\r\n"))
        .containsExactly(new SseEvent("message", "{\"x\":1}"), new SseEvent(null, "[DONE]"));
  }

  @Test
  void commentsAndUnknownFieldsAreIgnored() throws Exception {
    assertThat(read(": keep-alive\n\nid: 7\nretry: 10\ndata: x\n\n"))
        .containsExactly(new SseEvent(null, "x"));
  }

  @Test
  void onlyOneSpaceAfterTheColonIsDropped() throws Exception {
    assertThat(read("data:no-space\n\ndata:  two\n\n"))
        .containsExactly(new SseEvent(null, "no-space"), new SseEvent(null, " two"));
  }

  @Test
  void theEventTypeAppliesToItsEventOnly() throws Exception {
    assertThat(read("event: error\ndata: {}\n\ndata: next\n\n"))
        .containsExactly(new SseEvent("error", "{}"), new SseEvent(null, "next"));
  }

  @Test
  void anEventCutOffByTheEndOfTheStreamIsNotDispatched() throws Exception {
    assertThat(read("data: complete\n\ndata: cut")).containsExactly(
        new SseEvent(null, "complete"));
  }

  @Test
  void blankLinesWithoutDataDispatchNothing() throws Exception {
    assertThat(read("\n\n\nevent: ping\n\n")).isEmpty();
  }

  @Test
  void eventsAreReadOneAtATimeAsTheyArrive() throws Exception {
    Buffer wire = new Buffer().writeUtf8("data: first\n\n");
    SseReader reader = new SseReader(wire);
    assertThat(reader.next()).isEqualTo(new SseEvent(null, "first"));
    wire.writeUtf8("data: second\n\n");
    assertThat(reader.next()).isEqualTo(new SseEvent(null, "second"));
    assertThat(reader.next()).isNull();
  }
}
