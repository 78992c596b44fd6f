package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.SECONDS)
class SseReaderTest {
  private static final int LIMIT = 64;

  private static List<SseEvent> read(String wire) throws Exception {
    return read(wire, 1024);
  }

  private static List<SseEvent> read(String wire, int limit) throws Exception {
    SseReader reader = new SseReader(new Buffer().writeUtf8(wire), limit);
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
    SseReader reader = new SseReader(wire, 1024);
    assertThat(reader.next()).isEqualTo(new SseEvent(null, "first"));
    wire.writeUtf8("data: second\n\n");
    assertThat(reader.next()).isEqualTo(new SseEvent(null, "second"));
    assertThat(reader.next()).isNull();
  }

  @Test
  void anEventOfExactlyTheLimitIsRead() throws Exception {
    String line = "data: " + "x".repeat(LIMIT - 6);

    assertThat(read(line + "\n\n", LIMIT)).containsExactly(new SseEvent(null, "x".repeat(58)));
    assertThat(read(line + "\r\n\r\n", LIMIT)).as("a CR before the LF is not counted")
        .containsExactly(new SseEvent(null, "x".repeat(58)));
  }

  @Test
  void aLineOneByteOverTheLimitIsRefused() {
    String line = "data: " + "x".repeat(LIMIT - 5);

    assertThatThrownBy(() -> read(line + "\n\n", LIMIT))
        .isInstanceOf(SseReader.EventTooLargeException.class)
        .hasMessage("a server-sent event is larger than 64 bytes");
  }

  @Test
  void theLimitCountsEveryLineOfOneEventInBytes() {
    String half = "data: " + "é".repeat(14); // 6 + 28 bytes, 20 chars

    assertThatThrownBy(() -> read(half + "\n" + half + "\n\n", LIMIT))
        .isInstanceOf(SseReader.EventTooLargeException.class);
    assertThatThrownBy(() -> read(": " + "c".repeat(40) + "\n" + half + "\n\n", LIMIT))
        .as("comments count too").isInstanceOf(SseReader.EventTooLargeException.class);
  }

  @Test
  void theLimitIsPerEventNotPerStream() throws Exception {
    String event = "data: " + "x".repeat(LIMIT - 6) + "\n\n";
    String keepAlive = ": " + "k".repeat(LIMIT - 2) + "\n\n";

    assertThat(read(event + keepAlive + event + event, LIMIT)).hasSize(3);
  }

  @Test
  void aLineThatNeverEndsIsRefusedAfterReadingLittleMoreThanTheLimit() {
    Endless endless = new Endless();
    SseReader reader = new SseReader(Okio.buffer(endless), 1024 * 1024);

    assertThatThrownBy(reader::next).isInstanceOf(SseReader.EventTooLargeException.class);
    assertThat(endless.bytesRead).as("bytes read of an endless line")
        .isGreaterThan(1024 * 1024).isLessThanOrEqualTo(1024 * 1024 + 16 * 1024);
  }

  /** An endless {@code data:} line, counting what was read of it. */
  private static final class Endless implements Source {
    private final byte[] chunk = "xxxxxxxxxxxxxxxx".repeat(512).getBytes();
    long bytesRead;

    @Override
    public long read(Buffer sink, long byteCount) {
      int n = (int) Math.min(byteCount, chunk.length);
      if (bytesRead == 0) {
        sink.writeUtf8("data: ");
        bytesRead = 6;
        return 6;
      }
      sink.write(chunk, 0, n);
      bytesRead += n;
      return n;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {}
  }
}
