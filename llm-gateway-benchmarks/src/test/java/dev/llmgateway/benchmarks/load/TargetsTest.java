package dev.llmgateway.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.benchmarks.load.Report.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class TargetsTest {
  private static final String C_RAN = "**Arm C:** A's raw client through Portkey";

  @ParameterizedTest(name = "A {0} µs, B {1} µs, C {2} µs: {3}")
  @CsvSource({
      "1000, 1100, 1900, missed",
      "1000, 1100, 2200, met",
      "1000, 1000, 1500, met",
      "1000, 900, 1500, met",
      "1000, 900, 950, missed",
  })
  void portkeyMustAddTenTimesTheLatencyTheGatewayAddsAtP50(double a, double b, double c,
      String verdict) {
    Config config = config("chat", 16, Map.of("A", a, "B", b, "C", c), 0);

    assertThat(line(config, "(C − A)/(B − A)").verdict()).isEqualTo(verdict);
  }

  @ParameterizedTest(name = "B at {0} req/s against A at 1000: {1}")
  @CsvSource({"990, met", "950, met", "940, missed"})
  void throughputOfBOverAIsAtLeast095At16And64Callers(long b, String verdict) {
    Config config = config("chat", 64, Map.of("A", 1000L, "B", b));

    assertThat(line(config, "throughput B/A ≥ 0.95").verdict()).isEqualTo(verdict);
    assertThat(line(config, "throughput B/A").where()).isEqualTo("unary, 64 callers");
  }

  @ParameterizedTest(name = "{0}, {1} callers, B at {2} µs of CPU per call against A at 100: {3}")
  @CsvSource({
      "chat, 16, 105, met",
      "chat, 64, 110, met",
      "stream, 16, 111, missed",
      "stream, 64, 130, missed",
  })
  void cpuPerRequestOfBOverAIsAtMost110At16And64Callers(String mode, int callers, double b,
      String verdict) {
    Config config = costing(mode, callers, Map.of("A", 100.0, "B", b), Map.of("A", 0.0, "B", 0.0));

    Targets.Line cpu = line(config, "CPU per request B/A ≤ 1.10");
    assertThat(cpu.verdict()).isEqualTo(verdict);
    assertThat(cpu.measured()).startsWith(String.format(Locale.ROOT, "%.2f (", b / 100));
  }

  /** B1 (B without the policies) is read against the same targets, beside B, when it ran. */
  @Test
  void theChainWithoutPoliciesGetsItsOwnLinesWhenItRan() {
    Config config = costing("chat", 16, Map.of("A", 100.0, "B", 180.0, "B1", 105.0),
        Map.of("A", 0.0, "B", 0.0, "B1", 0.0));

    assertThat(line(config, "CPU per request B/A ≤ 1.10").verdict()).isEqualTo("missed");
    Targets.Line b1 = line(config, "CPU per request B1/A ≤ 1.10");
    assertThat(b1.verdict()).isEqualTo("met");
    assertThat(b1.measured()).startsWith("1.05 (");
    assertThat(line(config, "allocation B1 − A").where()).isEqualTo("unary, 16 callers");
  }

  @Test
  void noLinesForB1WhenItDidNotRun() {
    Config config = costing("chat", 16, Map.of("A", 100.0, "B", 105.0), Map.of("A", 0.0, "B", 0.0));

    assertThat(Targets.lines(List.of(config), C_RAN)).noneMatch(l -> l.target().contains("B1"));
  }

  @Test
  void cpuTargetDoesNotApplyToOneCaller() {
    Config config = costing("chat", 1, Map.of("A", 100.0, "B", 200.0), Map.of("A", 0.0, "B", 0.0));

    assertThat(Targets.lines(List.of(config), C_RAN))
        .noneMatch(l -> l.target().startsWith("CPU per request"));
  }

  @ParameterizedTest(name = "stream, 16 callers, first event A 100 µs, B {0} µs: {1}")
  @CsvSource({"140, met", "160, missed"})
  void firstEventOfAStreamAt16CallersIsAtMost50MicrosLaterThanA(double b, String verdict) {
    Config config = config("stream", 16, Map.of("A", 100.0, "B", b), 0);

    Targets.Line first = line(config, "first event p50 B − A ≤ +50 µs");
    assertThat(first.verdict()).isEqualTo(verdict);
    assertThat(first.where()).isEqualTo("stream, 16 callers");
    assertThat(first.measured()).endsWith(" µs");
  }

  @ParameterizedTest(name = "unary, 1 caller, p50 A 100 µs, B {0} µs: {1}")
  @CsvSource({"108, met", "115, missed"})
  void unaryP50AtOneCallerIsAtMost10MicrosAboveA(double b, String verdict) {
    Config config = config("chat", 1, Map.of("A", 100.0, "B", b), 0);

    assertThat(line(config, "p50 B − A ≤ +10 µs").verdict()).isEqualTo(verdict);
    assertThat(Targets.lines(List.of(config), C_RAN))
        .noneMatch(l -> l.target().startsWith("first event"));
  }

  @ParameterizedTest(name = "stream, 1 caller, first event A 100 µs, B {0} µs: {1}")
  @CsvSource({"115, met", "125, missed"})
  void firstEventOfAStreamAtOneCallerIsAtMost20MicrosLaterThanA(double b, String verdict) {
    Config config = config("stream", 1, Map.of("A", 100.0, "B", b), 0);

    assertThat(line(config, "first event p50 B − A ≤ +20 µs").verdict()).isEqualTo(verdict);
    assertThat(Targets.lines(List.of(config), C_RAN))
        .noneMatch(l -> l.target().startsWith("p50 B − A"));
  }

  @ParameterizedTest(name = "unary, {0} callers, B allocates {1} B more per call: {2}")
  @CsvSource({"1, 2500, met", "16, 3000, met", "64, 3741, missed"})
  void allocationOfBIsAtMost3000BytesAboveAPerUnaryCallAtEveryCallersCount(int callers,
      double added, String verdict) {
    Config config = costing("chat", callers, Map.of("A", 50.0, "B", 50.0),
        Map.of("A", 12_000.0, "B", 12_000.0 + added));

    Targets.Line alloc = line(config, "allocation B − A ≤ 3,000 B per call");
    assertThat(alloc.verdict()).isEqualTo(verdict);
    assertThat(alloc.measured()).startsWith(Report.signed(added)).endsWith(" B");
  }

  @Test
  void allocationTargetIsForUnaryCallsOnly() {
    Config config = costing("stream", 16, Map.of("A", 50.0, "B", 50.0),
        Map.of("A", 12_000.0, "B", 20_000.0));

    assertThat(Targets.lines(List.of(config), C_RAN))
        .noneMatch(l -> l.target().startsWith("allocation"));
  }

  @Test
  void targetsAreListedByTargetThenPlace() {
    List<Config> configs = List.of(config("chat", 1, Map.of("A", 100.0, "B", 105.0), 0),
        config("stream", 1, Map.of("A", 100.0, "B", 105.0), 0),
        config("chat", 16, Map.of("A", 100.0, "B", 105.0), 0),
        config("stream", 16, Map.of("A", 100.0, "B", 105.0), 0));

    assertThat(Targets.lines(configs, C_RAN)).extracting(l -> l.target() + " @ " + l.where())
        .containsExactly(
            "CPU per request B/A ≤ 1.10 @ unary, 16 callers",
            "CPU per request B/A ≤ 1.10 @ stream, 16 callers",
            "throughput B/A ≥ 0.95 @ unary, 16 callers",
            "throughput B/A ≥ 0.95 @ stream, 16 callers",
            "first event p50 B − A ≤ +50 µs @ stream, 16 callers",
            "p50 B − A ≤ +10 µs @ unary, 1 caller",
            "first event p50 B − A ≤ +20 µs @ stream, 1 caller",
            "allocation B − A ≤ 3,000 B per call @ unary, 1 caller",
            "allocation B − A ≤ 3,000 B per call @ unary, 16 callers",
            "(C − A)/(B − A) at p50 ≥ 10 @ —",
            "p99/p50 of B vs A @ unary, 16 callers",
            "p99/p50 of B vs A @ stream, 16 callers");
  }

  @Test
  void withoutAPreviousRunThePreviousColumnIsLeftOut() {
    Config config = config("chat", 16, Map.of("A", 1000L, "B", 990L));

    String md = Targets.markdown(Figures.of(List.of(config)), null, C_RAN);

    assertThat(md).contains("| target | where | measured | verdict |")
        .doesNotContain("previous");
  }

  @Test
  void throughputTargetDoesNotApplyToOneCaller() {
    Config config = config("chat", 1, Map.of("A", 1000L, "B", 500L));

    assertThat(Targets.lines(List.of(config), C_RAN))
        .noneMatch(l -> l.target().startsWith("throughput B/A"));
  }

  @Test
  void plainThroughputBOverCIsReportOnly() {
    Config config = config("stream", 16, Map.of("A", 1000.0, "B", 1050.0, "C", 30000.0), 0);

    Targets.Line plain = line(config, "throughput B/C");
    assertThat(plain.verdict()).isEqualTo("report only");
    assertThat(plain.measured()).startsWith("1.00 ");
  }

  @Test
  void armWithFailedCallsLeavesItsTargetsNotMeasured() {
    Config config = config("stream", 16, Map.of("A", 1000.0, "B", 1050.0, "C", 30000.0), 3);

    assertThat(line(config, "(C − A)/(B − A)").verdict()).isEqualTo("not measured");
    assertThat(line(config, "(C − A)/(B − A)").measured()).contains("arm C had 6 failed calls");
    assertThat(Targets.bVersusC(config)).contains("not reported");
  }

  @Test
  void skippedArmCIsReportedWithItsReason() {
    Config config = config("chat", 16, Map.of("A", 1000.0, "B", 1050.0), 0);

    Targets.Line c = line(config, "(C − A)/(B − A)", "arm C skipped: npm not found");
    assertThat(c.verdict()).isEqualTo("not measured");
    assertThat(c.measured()).isEqualTo("arm C skipped: npm not found");
  }

  @Test
  void tailRatioAt16CallersIsReportOnlyForUnaryAndStream() {
    List<Config> configs = List.of(config("chat", 16, Map.of("A", 1000L, "B", 1000L)),
        config("stream", 16, Map.of("A", 1000L, "B", 1000L)));

    List<Targets.Line> tails = Targets.lines(configs, C_RAN).stream()
        .filter(l -> l.target().equals("p99/p50 of B vs A")).toList();

    assertThat(tails).extracting(Targets.Line::where)
        .containsExactly("unary, 16 callers", "stream, 16 callers");
    assertThat(tails).allSatisfy(l -> {
      assertThat(l.verdict())
          .isEqualTo("report only: on 2 cores this measures the OS scheduler");
      assertThat(l.measured()).isEqualTo("B 4.00 (4.00–4.00), A 4.00 (4.00–4.00)");
    });
  }

  @ParameterizedTest(name = "B's events {0} µs later than A's: {1}")
  @CsvSource({"300, met", "999, met", "1200, missed"})
  void pacedEventsMustReachTheCallerWithin1MsOfTheRawArm(double added, String verdict) {
    Map<String, List<Round.Result>> rounds = new LinkedHashMap<>();
    rounds.put("A", List.of(paced("A", 60), paced("A", 60)));
    rounds.put("B", List.of(paced("B", 60 + added), paced("B", 60 + added)));

    Targets.Line late = line(new Config("paced", 1, rounds), "per-event lateness");

    assertThat(late.verdict()).isEqualTo(verdict);
    assertThat(late.where()).isEqualTo("paced stream, 1 caller");
  }

  @Test
  void pacedCheckWithoutMatchedStreamsIsNotMeasured() {
    Map<String, List<Round.Result>> rounds = new LinkedHashMap<>();
    rounds.put("A", List.of(paced("A", 60)));
    rounds.put("B", List.of(Rounds.of("B", 20, 45_000, 46_000, 0,
        Lateness.match(new EventLog(), Map.of()))));

    Targets.Line late = line(new Config("paced", 16, rounds), "per-event lateness");

    assertThat(late.verdict()).isEqualTo("not measured");
    assertThat(late.measured()).contains("arm B has no stream matched");
  }

  private static Round.Result paced(String arm, double delayMicros) {
    return Rounds.of(arm, 20, 45_000, 46_000, 0, Rounds.lateness(delayMicros, 1));
  }

  private static Targets.Line line(Config config, String target) {
    return line(config, target, C_RAN);
  }

  private static Targets.Line line(Config config, String target, String armC) {
    return Targets.lines(List.of(config), armC).stream()
        .filter(l -> l.target().startsWith(target)).findFirst().orElseThrow();
  }

  /** Two rounds per arm, every arm at the same throughput, p50 latency as given. */
  static Config config(String mode, int callers, Map<String, Double> p50Micros, long errorsOfC) {
    Map<String, List<Round.Result>> rounds = new LinkedHashMap<>();
    for (String arm : List.of("A", "B0", "B1", "B", "C")) {
      Double p50 = p50Micros.get(arm);
      if (p50 != null) {
        long errors = arm.equals("C") ? errorsOfC : 0;
        rounds.put(arm, List.of(Rounds.of(arm, 1000, p50, p50 * 4, errors, null),
            Rounds.of(arm, 1000, p50, p50 * 4, errors, null)));
      }
    }
    return new Config(mode, callers, rounds);
  }

  /** Two rounds per arm at 1,000 req/s, each call costing the given CPU and bytes. */
  static Config costing(String mode, int callers, Map<String, Double> cpuMicros,
      Map<String, Double> bytes) {
    Map<String, List<Round.Result>> rounds = new LinkedHashMap<>();
    for (String arm : List.of("A", "B0", "B1", "B", "C")) {
      Double cpu = cpuMicros.get(arm);
      if (cpu != null) {
        rounds.put(arm, List.of(Rounds.costing(arm, cpu, bytes.get(arm)),
            Rounds.costing(arm, cpu, bytes.get(arm))));
      }
    }
    return new Config(mode, callers, rounds);
  }

  /** Two rounds per arm at the given throughputs and the same latency. */
  static Config config(String mode, int callers, Map<String, Long> requestsPerSecond) {
    Map<String, List<Round.Result>> rounds = new LinkedHashMap<>();
    for (String arm : List.of("A", "B0", "B1", "B", "C")) {
      Long requests = requestsPerSecond.get(arm);
      if (requests != null) {
        rounds.put(arm, List.of(Rounds.of(arm, requests, 1000), Rounds.of(arm, requests, 1000)));
      }
    }
    return new Config(mode, callers, rounds);
  }
}
