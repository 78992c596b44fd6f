package dev.llmgateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Torn, overlong, invalid and newer lines; limits; file discovery. */
@Timeout(30)
class HostileInputTest {

  @TempDir
  Path dir;

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static ReportResult read(Path... inputs) {
    return UsageReport.builder().input(inputs).groupBy(Dimension.TEAM).build().read();
  }

  private static BigDecimal cost(ReportResult result, String team) {
    return result.tables().get(0).rows().stream().filter(r -> r.values().get(0).equals(team))
        .map(UsageRow::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  @Test
  void tornLastLineIsSkippedAndReported() throws Exception {
    String whole = Records.simple("c1", "search", "0.5") + "\n" + Records.simple("c2", "search",
        "0.25") + "\n";
    String torn = Records.simple("c3", "search", "100");
    Path file = write("usage.jsonl", whole + torn.substring(0, torn.length() / 2));

    ReportResult result = read(file);

    assertThat(cost(result, "search")).isEqualByComparingTo("0.75");
    assertThat(result.summary().tornFiles()).containsExactly(file);
    assertThat(result.summary().messages())
        .containsExactly("skipped 1 torn line at the end of " + file);
    assertThat(result.summary().invalidLines()).isZero();
    assertThat(TextReport.render(result)).contains("skipped 1 torn line at the end of " + file);
  }

  @Test
  void completeLastLineWithoutNewlineIsRead() throws Exception {
    Path file = write("usage.jsonl", Records.simple("c1", "search", "0.5"));
    ReportResult result = read(file);
    assertThat(cost(result, "search")).isEqualByComparingTo("0.5");
    assertThat(result.summary().messages()).isEmpty();
  }

  @Test
  void invalidLinesInTheMiddleAreCountedWithFileAndLine() throws Exception {
    Path file = write("usage.jsonl", Records.simple("c1", "search", "1") + "\n"
        + "not json at all\n"
        + "\n"
        + "[1,2]\n"
        + "{\"schema\":1,\"record\":\"call\",\"callId\":\"c9\"}\n"
        + Records.simple("c2", "search", "1e999999999") + "\n"
        + "{\"schema\":1,\"record\":\"budget-alert\",\"future\":true}\n"
        + Records.simple("c3", "search", "2") + "\n");

    ReportResult result = read(file);

    assertThat(cost(result, "search")).isEqualByComparingTo("3");
    assertThat(result.summary().invalidLines()).isEqualTo(4);
    assertThat(result.summary().invalidPlaces()).containsExactly(
        file + ":2 (not JSON)", file + ":4 (not a JSON object)",
        file + ":5 (call without a valid timestamp)", file + ":6 (cost is not a plain decimal)");
    assertThat(result.summary().otherRecords()).isEqualTo(1);
    assertThat(result.summary().messages()).singleElement().asString()
        .startsWith("skipped 4 invalid lines: " + file + ":2 (not JSON)");
  }

  @Test
  void lineLongerThanTheLimitIsSkippedAndCounted() throws Exception {
    String longTeam = "x".repeat(5_000);
    Path file = write("usage.jsonl", Records.simple("c1", longTeam, "1") + "\n"
        + Records.simple("c2", "search", "2") + "\n");

    ReportResult result = UsageReport.builder().input(file).groupBy(Dimension.TEAM)
        .maxLineBytes(4_096).build().read();

    assertThat(result.tables().get(0).rows()).extracting(r -> r.values().get(0))
        .containsExactly("search");
    assertThat(result.summary().overlongLines()).isEqualTo(1);
    assertThat(result.summary().messages())
        .containsExactly("skipped 1 line longer than 4096 bytes: " + file + ":1");
  }

  @Test
  void newerSchemaIsRefusedNamingFileAndLine() throws Exception {
    Path file = write("usage.jsonl", Records.simple("c1", "search", "1") + "\n"
        + "{\"schema\":2,\"record\":\"call\",\"callId\":\"c2\"}\n");

    assertThatThrownBy(() -> read(file))
        .isInstanceOfSatisfying(UnsupportedSchemaException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.schema()).isEqualTo(2);
        })
        .hasMessageStartingWith(file + ":2: usage schema 2 is newer than the newest this report"
            + " reads (1)")
        .hasMessageContaining("use an llm-gateway-usage-report at least as new as the gateway");
  }

  @Test
  void tooManyGroupsStopWithATypedErrorSayingWhatToChange() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      lines.append(Records.simple("c" + i, "team-" + i, "1")).append('\n');
    }
    Path file = write("usage.jsonl", lines.toString());

    assertThatThrownBy(() -> UsageReport.builder().input(file).groupBy(Dimension.TEAM)
        .maxGroups(20).build().read())
        .isInstanceOfSatisfying(ReportLimitExceededException.class,
            e -> assertThat(e.limit()).isEqualTo("maxGroups"))
        .hasMessageContaining("more than 20 distinct groups")
        .hasMessageContaining("--max-groups");
  }

  @Test
  void directoryContributesRotatedAndGzippedUsageFilesOnly() throws Exception {
    write("usage.jsonl", Records.simple("c1", "search", "1") + "\n");
    write("usage.jsonl.1", Records.simple("c2", "search", "2") + "\n");
    write("notes.txt", "not usage\n");
    try (OutputStream gz = new GZIPOutputStream(
        Files.newOutputStream(dir.resolve("usage-2026-11.jsonl.gz")))) {
      gz.write((Records.simple("c3", "search", "4") + "\n").getBytes(StandardCharsets.UTF_8));
    }

    ReportResult result = read(dir);

    assertThat(cost(result, "search")).isEqualByComparingTo("7");
    assertThat(result.summary().files()).extracting(p -> p.getFileName().toString())
        .containsExactly("usage-2026-11.jsonl.gz", "usage.jsonl", "usage.jsonl.1");
  }

  @Test
  void missingInputSaysWhichPath() {
    Path missing = dir.resolve("nope.jsonl");
    assertThatThrownBy(() -> read(missing)).isInstanceOf(UsageFileException.class)
        .hasMessage(missing + ": no such usage file or directory; check the path");
  }

  @Test
  void feedbackJoinsByCallIdLatestTimestampWinsWhateverTheOrder() throws Exception {
    Path file = write("usage.jsonl", Records.feedback("c1", "2026-12-07T10:00:09Z", 0.9) + "\n"
        + Records.simple("c1", "search", "1") + "\n"
        + Records.feedback("c1", "2026-12-07T10:00:01Z", 0.1) + "\n"
        + Records.simple("c2", "search", "1") + "\n"
        + Records.feedback("c2", "2026-12-07T10:00:05Z", 0.2) + "\n"
        + Records.feedback("c2", "2026-12-07T10:00:05Z", 0.4) + "\n");

    UsageRow row = read(file).tables().get(0).rows().get(0);

    assertThat(row.scoredCalls()).isEqualTo(2);
    assertThat(row.meanScore().orElseThrow()).isCloseTo(0.65, org.assertj.core.data.Offset
        .offset(1e-9));
  }

  @Test
  void callsOutsideThePeriodAreLeftOutAndCounted() throws Exception {
    Path file = write("usage.jsonl", Records.simple("c1", "search", "1") + "\n");
    ReportResult result = UsageReport.builder().input(file)
        .from(java.time.LocalDate.of(2026, 12, 8)).build().read();
    assertThat(result.tables()).allSatisfy(t -> assertThat(t.rows()).isEmpty());
    assertThat(result.summary().outsidePeriod()).isEqualTo(1);
    assertThat(result.tables()).hasSize(Dimension.values().length);
  }

  @Test
  void unknownFieldsAndMissingPrincipalAreTolerated() throws Exception {
    Path file = write("usage.jsonl", "{\"schema\":1,\"record\":\"call\",\"callId\":\"x\","
        + "\"timestamp\":\"2026-12-07T10:00:00Z\",\"outcome\":\"refused\",\"principal\":null,"
        + "\"errorType\":\"AuthenticationException\",\"newField\":{\"a\":[1,2]}}\n");
    UsageRow row = read(file).tables().get(0).rows().get(0);
    assertThat(row.values()).containsExactly(UsageRow.NONE);
    assertThat(row.refused()).isEqualTo(1);
    assertThat(row.errorsByType()).containsExactly(
        java.util.Map.entry("AuthenticationException", 1L));
    assertThat(row.latencyP95Micros()).isEmpty();
    assertThat(List.of(row.cost())).containsExactly(BigDecimal.ZERO);
  }
}
