package dev.llmgateway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class JsonLinesUsageSinkTest {
  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T23:59:00Z"));

  @Test
  void aFileThatWouldPassItsSizeIsClosedForTheNextNumber() throws Exception {
    JsonLinesUsageSink sink = JsonLinesUsageSink.builder(dir).prefix("billing")
        .maxFileBytes(1024).clock(clock).build();
    int lineBytes = UsageRecordJson.toJson(Records.call("c-0")).length() + 1;
    int perFile = 1024 / lineBytes;

    for (int i = 0; i < perFile * 2 + 1; i++) {
      sink.accept(Records.call("c-" + i));
    }
    sink.close();

    assertThat(names()).containsExactly("billing-2026-12-07.1.jsonl",
        "billing-2026-12-07.2.jsonl", "billing-2026-12-07.jsonl");
    assertThat(Files.size(dir.resolve("billing-2026-12-07.jsonl"))).isLessThanOrEqualTo(1024);
    assertThat(callIds()).hasSize(perFile * 2 + 1).doesNotHaveDuplicates();
  }

  @Test
  void aNewUtcDayStartsANewFile() throws Exception {
    JsonLinesUsageSink sink = JsonLinesUsageSink.builder(dir).clock(clock).build();
    sink.accept(Records.call("before-midnight"));
    assertThat(sink.currentFile()).isEqualTo(dir.resolve("usage-2026-12-07.jsonl"));

    clock.advance(Duration.ofMinutes(2));
    sink.acceptBatch(List.of(Records.call("after-1"), Records.call("after-2")));
    sink.close();

    assertThat(names()).containsExactly("usage-2026-12-07.jsonl", "usage-2026-12-08.jsonl");
    assertThat(Files.readAllLines(dir.resolve("usage-2026-12-08.jsonl"))).hasSize(2);
  }

  @Test
  void aSinkStartedAgainAppendsToTheDaysLastFileAfterATornLine() throws Exception {
    String line = UsageRecordJson.toJson(Records.call("whole")) + "\n";
    Files.writeString(dir.resolve("usage-2026-12-07.jsonl"), line);
    Files.writeString(dir.resolve("usage-2026-12-07.1.jsonl"),
        line + line.substring(0, 40)); // the process died mid-write

    JsonLinesUsageSink sink = JsonLinesUsageSink.builder(dir).clock(clock).build();
    sink.accept(Records.call("next"));
    sink.close();

    List<String> lines = Files.readAllLines(dir.resolve("usage-2026-12-07.1.jsonl"),
        StandardCharsets.UTF_8);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).isEqualTo(line.substring(0, 40));
    assertThat(UsageRecordJson.read(lines.get(2)).callId()).isEqualTo("next");
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<String> callIds() throws Exception {
    List<String> ids = new ArrayList<>();
    for (String name : names()) {
      for (String l : Files.readAllLines(dir.resolve(name))) {
        UsageRecord r = UsageRecordJson.read(l);
        ids.add(r.callId());
      }
    }
    return ids;
  }
}
