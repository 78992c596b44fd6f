package dev.llmgateway.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.benchmarks.load.LockProfile.Kind;
import dev.llmgateway.benchmarks.load.LockProfile.Row;
import dev.llmgateway.benchmarks.load.LockProfile.Wait;
import dev.llmgateway.benchmarks.load.LockProfile.Where;
import dev.llmgateway.benchmarks.load.LockProfile.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockProfileTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Where CHAT_B = new Where("chat", 64, "B");
  private static final String POOL = "okhttp3.internal.connection.RealConnectionPool";
  private static final String USER = "okhttp3.internal.connection.RealCall.acquire";

  @Test
  void monitorsAreRankedByTotalWaitWithCountLongestWaitAndMainUser() {
    LockProfile profile = profile(List.of(round("chat", "B", 0, 10)), List.of(
        monitor(1, POOL, USER, 1), monitor(2, POOL, USER, 2),
        monitor(3, POOL, "okhttp3.Dispatcher.finished", 3),
        monitor(4, "java.lang.Object", "org.HdrHistogram.Histogram.add", 10)));

    assertThat(profile.monitors(CHAT_B)).containsExactly(
        new Row("java.lang.Object", 1, ms(10), ms(10), "org.HdrHistogram.Histogram.add"),
        new Row(POOL, 3, ms(6), ms(3), USER));
  }

  @Test
  void onlyTheTopTenAreListed() {
    List<Wait> waits = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      waits.add(monitor(1, "com.example.Lock" + i, USER, i));
    }

    List<Row> rows = profile(List.of(round("chat", "B", 0, 10)), waits).monitors(CHAT_B);

    assertThat(rows).hasSize(LockProfile.TOP);
    assertThat(rows.get(0).name()).isEqualTo("com.example.Lock12");
    assertThat(rows.get(9).name()).isEqualTo("com.example.Lock3");
  }

  @Test
  void waitsAreToldApartByTheRoundTheyStartedInAndWarmUpsAreLeftOut() {
    LockProfile profile = profile(
        List.of(round("chat", "A", 10, 20), round("chat", "B", 20, 30),
            round("stream", "B", 40, 50), round("chat", "B", 60, 70)),
        List.of(monitor(5, POOL, USER, 1), monitor(15, POOL, USER, 2),
            monitor(25, POOL, USER, 3), monitor(65, POOL, USER, 4),
            monitor(45, POOL, USER, 5), monitor(35, POOL, USER, 6)));

    assertThat(profile.covered()).containsExactly(CHAT_B, new Where("chat", 64, "A"),
        new Where("stream", 64, "B"));
    assertThat(profile.outside()).isEqualTo(2);
    assertThat(profile.monitors(CHAT_B)).containsExactly(new Row(POOL, 2, ms(7), ms(4), USER));
    assertThat(profile.monitors(new Where("chat", 64, "A")))
        .containsExactly(new Row(POOL, 1, ms(2), ms(2), USER));
  }

  @Test
  void parksAreListedByParkedClassAndByTheirUser() {
    String sync = "java.util.concurrent.locks.ReentrantLock$NonfairSync";
    String cond = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject";
    LockProfile profile = profile(List.of(round("chat", "B", 0, 10)), List.of(
        park(1, sync, "dev.llmgateway.core.internal.Meter.record", 4),
        park(2, sync, USER, 1),
        park(3, cond, "okhttp3.internal.concurrent.TaskRunner.awaitTaskToRun", 3)));

    assertThat(profile.parksByClass(CHAT_B)).containsExactly(
        new Row(sync, 2, ms(5), ms(4), "dev.llmgateway.core.internal.Meter.record"),
        new Row(cond, 1, ms(3), ms(3), "okhttp3.internal.concurrent.TaskRunner.awaitTaskToRun"));
    assertThat(profile.parksByUser(CHAT_B)).extracting(Row::name).containsExactly(
        "dev.llmgateway.core.internal.Meter.record",
        "okhttp3.internal.concurrent.TaskRunner.awaitTaskToRun", USER);
    assertThat(profile.monitors(CHAT_B)).isEmpty();
  }

  @Test
  void gatewayOwnedMonitorAmongTheTopFiveMissesTheAcceptance() {
    LockProfile profile = profile(List.of(round("chat", "B", 0, 10), round("stream", "B", 10, 20)),
        List.of(monitor(1, POOL, USER, 9), monitor(2, "java.lang.Object", USER, 8),
            monitor(3, "dev.llmgateway.core.internal.Meter", USER, 7),
            monitor(11, POOL, USER, 9)));

    assertThat(profile.gatewayOwnedInTopFive(CHAT_B))
        .containsExactly("`dev.llmgateway.core.internal.Meter` (#3)");
    assertThat(profile.acceptance()).isEqualTo("no gateway-owned class among the top five "
        + "contended monitors of arm B: missed (unary chat, 64 callers: "
        + "`dev.llmgateway.core.internal.Meter` (#3); stream, 64 callers: none)");
  }

  @Test
  void gatewayOwnedMonitorBelowTheTopFiveOrAHarnessClassMeetsTheAcceptance() {
    List<Wait> waits = new ArrayList<>();
    waits.add(monitor(1, "dev.llmgateway.benchmarks.FullChain$Sink", USER, 50));
    for (int i = 1; i <= 4; i++) {
      waits.add(monitor(1, "com.example.Lock" + i, USER, 10 + i));
    }
    waits.add(monitor(1, "dev.llmgateway.core.internal.Meter", USER, 10));

    LockProfile profile = profile(List.of(round("chat", "B", 0, 10)), waits);

    assertThat(profile.monitors(CHAT_B).get(5).name())
        .isEqualTo("dev.llmgateway.core.internal.Meter");
    assertThat(profile.gatewayOwnedInTopFive(CHAT_B)).isEmpty();
    assertThat(profile.acceptance()).isEqualTo("no gateway-owned class among the top five "
        + "contended monitors of arm B: met (unary chat, 64 callers: none)");
  }

  @Test
  void withoutARoundOfArmBTheAcceptanceIsNotMeasured() {
    LockProfile profile = profile(List.of(round("chat", "A", 0, 10)), List.of());

    assertThat(profile.acceptance()).endsWith(": not measured (no round of arm B recorded)");
  }

  @Test
  void markdownListsEachArmsTablesAndTheAcceptanceForTheGatewayArms() {
    LockProfile profile = profile(
        List.of(round("chat", "A", 0, 10), round("chat", "B", 10, 20)),
        List.of(monitor(11, POOL, USER, 2), park(12, LockProfile.NO_BLOCKER, USER, 3),
            monitor(30, POOL, USER, 1)));

    String md = profile.markdown("2026-11-25", "test settings", "target/load-locks.jfr");

    assertThat(md).startsWith("# Lock profile of the load runner (`LoadRunner --jfr`)\n")
        .contains("- **Settings:** test settings\n")
        .contains("only waits of at least 1.00 ms")
        .contains("in unary chat, 64 callers; 1 recorded waits outside the measured rounds")
        .contains("Raw recording: `target/load-locks.jfr` (not committed;")
        .contains("- **Acceptance** (\"no gateway-owned lock among the top five contended "
            + "monitors at 64 callers\"): no gateway-owned class among the top five contended "
            + "monitors of arm B: met (unary chat, 64 callers: none)\n")
        .contains("\n## Unary chat, 64 callers\n\n### Arm B\n\n**Gateway-owned class among the "
            + "top five contended monitors:** none — met\n\n")
        .contains("| # | monitor class | waits | total ms | max ms | mostly entered from |\n"
            + "| ---: | --- | ---: | ---: | ---: | --- |\n"
            + "| 1 | `" + POOL + "` | 1 | 2.00 | 2.00 | `" + USER + "` |\n")
        .contains("| 1 | `(no blocker)` | 1 | 3.00 | 3.00 | `" + USER + "` |\n")
        .contains("| 1 | `" + USER + "` | 1 | 3.00 | 3.00 | `(no blocker)` |\n")
        .contains("\n### Arm A\n\nContended monitors (`jdk.JavaMonitorEnter`) by monitor class:"
            + "\n\nnone recorded\n");
    assertThat(md.indexOf("### Arm B")).isLessThan(md.indexOf("### Arm A"));
  }

  private static LockProfile profile(List<Window> windows, List<Wait> waits) {
    return LockProfile.of(windows, waits, Duration.ofMillis(1));
  }

  private static Window round(String mode, String arm, int fromSecond, int toSecond) {
    return new Window(mode, 64, arm, T0.plusSeconds(fromSecond), T0.plusSeconds(toSecond));
  }

  private static Wait monitor(int atSecond, String lockClass, String user, long millis) {
    return new Wait(Kind.MONITOR, T0.plusSeconds(atSecond), lockClass, user, ms(millis));
  }

  private static Wait park(int atSecond, String lockClass, String user, long millis) {
    return new Wait(Kind.PARK, T0.plusSeconds(atSecond), lockClass, user, ms(millis));
  }

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }
}
