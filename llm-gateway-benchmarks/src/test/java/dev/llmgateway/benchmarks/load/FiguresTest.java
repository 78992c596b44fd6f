package dev.llmgateway.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.benchmarks.load.Report.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class FiguresTest {
  private static final String NO_C = "arm C skipped: not requested (--no-proxy)";
  private static final LoadRunner.Pinning PINNING = new LoadRunner.Pinning(true, "1",
      "pinned with taskset: measured JVM on CPU 0, upstream on CPU 1", 1, 2);

  @Test
  void previousRunIsReadFromTheLoadJsonItWrote() throws Exception {
    Figures previous = previous();

    assertThat(previous.label()).isEqualTo("`previous-load.json` of 2026-11-20");
    assertThat(previous.places()).containsExactly(new Figures.Place("chat", 16),
        new Figures.Place("stream", 16));
    Figures.Arm b = Objects.requireNonNull(previous.arms(new Figures.Place("chat", 16))).get("B");
    assertThat(b.values(Figures.CPU)).containsExactly(60.0, 55.0);
    assertThat(b.values(Figures.FIRST_EVENT_P50)).isNull();
  }

  @Test
  void previousColumnShowsTheSameFigureComputedFromTheOldRounds() throws Exception {
    Config now = TargetsTest.costing("chat", 16, Map.of("A", 50.0, "B", 52.0),
        Map.of("A", 10_000.0, "B", 12_000.0));

    Map<String, String> previous = previousByTarget(now);

    assertThat(previous).containsEntry("CPU per request B/A ≤ 1.10", "1.15 (1.10–1.20)")
        .containsEntry("throughput B/A ≥ 0.95", "0.85 (0.80–0.90)")
        .containsEntry("allocation B − A ≤ 3,000 B per call", "+3,500 (+3,000…+4,000) B")
        .containsEntry("p99/p50 of B vs A", "B 4.44 (4.33–4.55), A 4.00 (4.00–4.00)");
  }

  @Test
  void previousColumnIsADashWhereTheOldRunLacksThePlace() throws Exception {
    Config now = TargetsTest.config("chat", 64, Map.of("A", 1000L, "B", 990L));

    assertThat(previousByTarget(now)).containsEntry("CPU per request B/A ≤ 1.10", "–")
        .containsEntry("throughput B/A ≥ 0.95", "–");
  }

  @Test
  void previousColumnIsADashWhereTheOldRunLacksTheArm() throws Exception {
    Config now = TargetsTest.config("chat", 16, Map.of("A", 100.0, "B", 105.0, "C", 900.0), 0);

    assertThat(previousByTarget(now)).containsEntry("(C − A)/(B − A) at p50 ≥ 10", "–")
        .containsEntry("throughput B/C (plain reading)", "–");
  }

  @Test
  void previousRunWhoseArmFailedCallsSaysSo() throws Exception {
    Config now = TargetsTest.config("stream", 16, Map.of("A", 100.0, "B", 105.0), 0);

    assertThat(previousByTarget(now))
        .containsEntry("first event p50 B − A ≤ +50 µs", "arm B had 3 failed calls");
  }

  @Test
  void reportShowsThePreviousColumnAndNamesThePreviousRun() throws Exception {
    Config now = TargetsTest.costing("chat", 16, Map.of("A", 50.0, "B", 52.0),
        Map.of("A", 10_000.0, "B", 12_000.0));
    Report report = new Report("2026-11-25", "test settings", PINNING, Duration.ofSeconds(1),
        List.of(now), NO_C, 5, previous(), null);

    assertThat(report.markdown())
        .contains("- **Previous run:** `previous-load.json` of 2026-11-20 (`--previous`)")
        .contains("| target | where | measured | previous | verdict |\n"
            + "| --- | --- | --- | --- | --- |\n")
        .contains("| CPU per request B/A ≤ 1.10 | unary, 16 callers | 1.04 (1.04–1.04) | "
            + "1.15 (1.10–1.20) | met |");
    assertThat(report.json()).contains("\"previous\" : \"1.15 (1.10–1.20)\"")
        .contains("\"previousRun\" : \"previous-load.json of 2026-11-20\"");
  }

  @Test
  void aRunReadBackAsPreviousShowsItsOwnFigures() {
    Map<String, List<Round.Result>> paced = new LinkedHashMap<>();
    paced.put("A", List.of(Rounds.of("A", 20, 45_000, 46_000, 0, Rounds.lateness(50, 1)),
        Rounds.of("A", 20, 45_000, 46_000, 0, Rounds.lateness(60, 1))));
    paced.put("B", List.of(Rounds.of("B", 20, 45_000, 46_000, 0, Rounds.lateness(80, 2)),
        Rounds.of("B", 20, 45_000, 46_000, 0, Rounds.lateness(70, 1))));
    List<Config> configs = List.of(
        TargetsTest.config("chat", 1, Map.of("A", 100.0, "B", 107.0, "C", 900.0), 0),
        TargetsTest.config("stream", 16, Map.of("A", 100.0, "B", 170.0, "C", 9000.0), 0),
        TargetsTest.costing("chat", 64, Map.of("A", 50.0, "B", 58.0),
            Map.of("A", 10_000.0, "B", 13_500.0)),
        new Config("paced", 1, paced));
    Report report = new Report("2026-11-25", "test settings", PINNING, Duration.ofSeconds(1),
        configs, "**Arm C:** A's raw client through Portkey", 5);

    List<Targets.Line> lines = Targets.lines(Figures.of(configs),
        Figures.parse(report.json(), "load.json"), "**Arm C:** A's raw client through Portkey");

    assertThat(lines).hasSizeGreaterThan(10).allSatisfy(
        l -> assertThat(l.previous()).as(l.target() + " @ " + l.where()).isEqualTo(l.measured()));
  }

  @Test
  void aFileThatIsNotALoadJsonIsRejectedNamingIt() {
    assertThatThrownBy(() -> Figures.parse("[1, 2]", "jmh.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--previous: jmh.json has no 'configs' array; is it a load.json written by "
            + "LoadRunner?");
    assertThatThrownBy(() -> Figures.parse("{\"configs\": [", "cut.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--previous: cut.json is not JSON: ");
  }

  private static Map<String, String> previousByTarget(Config now) throws Exception {
    Map<String, String> byTarget = new LinkedHashMap<>();
    for (Targets.Line l : Targets.lines(Figures.of(List.of(now)), previous(), NO_C)) {
      byTarget.put(l.target(), l.previous());
    }
    return byTarget;
  }

  private static Figures previous() throws Exception {
    return Figures.read(Path.of(Objects.requireNonNull(
        FiguresTest.class.getResource("previous-load.json")).toURI()));
  }
}
