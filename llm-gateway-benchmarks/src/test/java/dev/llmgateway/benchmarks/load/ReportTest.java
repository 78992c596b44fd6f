package dev.llmgateway.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.benchmarks.load.Report.Config;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final LoadRunner.Pinning PINNING = new LoadRunner.Pinning(true, "1",
      "pinned with taskset: measured JVM on CPU 0, upstream on CPU 1", 1, 2);

  @Test
  void skippedArmCIsOneLineOfTheReport() {
    Report report = report("arm C skipped: Node.js (node) not found",
        TargetsTest.config("chat", 16, Map.of("A", 1000.0, "B", 1050.0), 0));

    assertThat(report.markdown()).contains("\n- arm C skipped: Node.js (node) not found\n")
        .doesNotContain("**B vs C:**");
  }

  @Test
  void armCGetsRatiosAgainstAAndALineAgainstB() {
    Report report = report("**Arm C:** A's raw client through Portkey",
        TargetsTest.config("chat", 16, Map.of("A", 1000.0, "B", 1050.0, "C", 4000.0), 0));

    // HdrHistogram keeps three significant digits: 1,050 µs reads back as 1,050.18 µs
    String md = report.markdown();
    assertThat(md).contains("| C | 1,000 | 4,002 |")
        .contains("proxy CPU µs/req")
        .contains("| C | 1.00 (1.00–1.00) ~ | 4.00 (4.00–4.00) |")
        .containsPattern("\\*\\*B vs C:\\*\\* throughput B/C 1\\.00 \\(1\\.00–1\\.00\\); "
            + "p50 latency added over A: C \\+3,001 µs, B \\+50\\.\\d\\d µs, "
            + "\\(C − A\\)/\\(B − A\\) (59\\.\\d|60\\.0)×");
  }

  @Test
  void armWithFailedCallsGetsNoRatios() {
    Report report = report("**Arm C:** A's raw client through Portkey",
        TargetsTest.config("stream", 64, Map.of("A", 1000.0, "B", 1050.0, "C", 4000.0), 2));

    assertThat(report.markdown()).contains("**Not reported:** arm C had 4 failed calls "
        + "(first: java.io.IOException: boom); no ratios for C");
  }

  @Test
  void pacedSectionShowsLatenessPerArmAndAgainstA() throws Exception {
    Map<String, List<Round.Result>> rounds = new LinkedHashMap<>();
    rounds.put("A", List.of(paced("A", 50), paced("A", 50)));
    rounds.put("B", List.of(paced("B", 250), paced("B", 250)));
    Report report = report("**Arm C:** A's raw client through Portkey",
        new Config("paced", 16, rounds));

    String md = report.markdown();
    assertThat(md).contains("## Paced stream (content chunks 5 ms apart), 16 callers")
        .contains("| A | 20.00 | 45,023 | 50.00 | 50.00 | 80.00 | 0 | 0 |")
        .contains("| B − A | +200 (+200…+200) | +200 (+200…+200) |")
        .contains("| per-event lateness B − A at p99 ≤ 1 ms | paced stream, 16 callers | "
            + "p99 +200 (+200…+200) µs; p50 +200 (+200…+200) µs | met |");
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.at("/configs/0/arms/1/latenessDifferenceToA/p99Micros/median").asDouble())
        .isEqualTo(200.0);
    JsonNode lateness = json.at("/targets/1");
    assertThat(lateness.at("/target").asText()).startsWith("per-event lateness");
    assertThat(lateness.at("/verdict").asText()).isEqualTo("met");
  }

  @Test
  void targetsTableOpensWithCpuAndThroughputOfBOverA() throws Exception {
    Report report = report("arm C skipped: not requested (--no-proxy)",
        TargetsTest.costing("chat", 16, Map.of("A", 50.0, "B", 56.0),
            Map.of("A", 10_000.0, "B", 12_000.0)));

    assertThat(report.markdown()).contains("| target | where | measured | verdict |\n"
        + "| --- | --- | --- | --- |\n"
        + "| CPU per request B/A ≤ 1.10 | unary, 16 callers | 1.12 (1.12–1.12) | missed |\n"
        + "| throughput B/A ≥ 0.95 | unary, 16 callers | 1.00 (1.00–1.00) | met |\n"
        + "| allocation B − A ≤ 3,000 B per call | unary, 16 callers | "
        + "+2,000 (+2,000…+2,000) B | met |\n");
    JsonNode cpu = new ObjectMapper().readTree(report.json()).at("/targets/0");
    assertThat(cpu.at("/target").asText()).isEqualTo("CPU per request B/A ≤ 1.10");
    assertThat(cpu.at("/verdict").asText()).isEqualTo("missed");
    assertThat(cpu.has("previous")).isFalse();
  }

  @Test
  void lockProfileIsLinkedFromTheHead() {
    Report report = new Report("2026-11-25", "test settings", PINNING, Duration.ofSeconds(1),
        List.of(TargetsTest.config("chat", 64, Map.of("A", 1000L, "B", 990L))),
        "arm C skipped: not requested (--no-proxy)", 5, null,
        "[load-locks.md](load-locks.md): no gateway-owned class among the top five contended "
            + "monitors of arm B: met (unary chat, 64 callers: none)");

    assertThat(report.markdown()).contains("\n- **Lock profile:** [load-locks.md](load-locks.md)"
        + ": no gateway-owned class among the top five contended monitors of arm B: met (unary "
        + "chat, 64 callers: none)\n");
  }

  private static Round.Result paced(String arm, double delayMicros) {
    return Rounds.of(arm, 20, 45_000, 46_000, 0, Rounds.lateness(delayMicros, 0));
  }

  private static Report report(String armC, Config config) {
    return new Report("2026-11-25", "test settings", PINNING, Duration.ofSeconds(1),
        List.of(config), armC, 5);
  }
}
