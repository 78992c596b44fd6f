package dev.llmgateway.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.core.limit.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InMemoryBudgetStore#snapshot} and {@link InMemoryBudgetStore.Builder#restore}: a round
 * trip keeps spending, marks, reservations with their leases and settled call ids; a hostile file
 * — not a snapshot, a newer version, cut short, too large, too many counters, a long line, values
 * out of range, dangling references — is refused with a typed error naming the line.
 */
@Timeout(30)
class BudgetSnapshotTest {
  private static final Instant NOW = Instant.parse("2026-12-15T12:00:00Z");
  private static final Budget TEAM = Budget.perId("team-monthly", Scope.TEAM, "10.00");
  private static final Budget ORG = Budget.perId("org-monthly", Scope.ORG, "50.00");
  private static final BudgetCounter SUPPORT = TEAM.counter("acme", "support", NOW);
  private static final BudgetCounter ACME = ORG.counter("acme", "acme", NOW);
  private static final String HEADER = "{\"format\":\"llm-gateway-budget-store\",\"version\":1}\n";

  @TempDir
  Path dir;

  private static List<BudgetStore.Cap> caps() {
    return List.of(new BudgetStore.Cap(SUPPORT, TEAM.limitNanos()),
        new BudgetStore.Cap(ACME, ORG.limitNanos()));
  }

  @Test
  void aRoundTripKeepsSpendingMarksReservationsAndSettledCallIds() throws IOException {
    InMemoryBudgetStore store = InMemoryBudgetStore.create();
    store.reserve("done", caps(), 700, NOW.plusSeconds(60), NOW);
    store.settle("done", List.of(SUPPORT, ACME), 500, NOW);
    store.reserve("in-flight", caps(), 9_000, NOW.plusSeconds(600), NOW);
    store.mark(SUPPORT, 1, NOW);
    Path file = dir.resolve("budgets.jsonl");

    store.snapshot(file);
    InMemoryBudgetStore restored = InMemoryBudgetStore.builder().restore(file);

    assertThat(restored.balances(List.of(SUPPORT, ACME), NOW))
        .isEqualTo(store.balances(List.of(SUPPORT, ACME), NOW))
        .containsExactly(new BudgetBalance(SUPPORT, 500, 9_000, 1),
            new BudgetBalance(ACME, 500, 9_000, 0));
    restored.settle("done", List.of(SUPPORT, ACME), 500, NOW);
    assertThat(restored.balances(List.of(SUPPORT), NOW).get(0).spentNanos())
        .as("a settled id stays settled").isEqualTo(500);
    restored.settle("in-flight", List.of(SUPPORT, ACME), 4_000, NOW);
    assertThat(restored.balances(List.of(SUPPORT), NOW).get(0))
        .isEqualTo(new BudgetBalance(SUPPORT, 4_500, 0, 1));
    assertThat(Files.readAllLines(file)).last().asString()
        .isEqualTo("{\"end\":true,\"counters\":2,\"holds\":1,\"settled\":1}");
  }

  @Test
  void aRestoredReservationStillEndsWithItsLease() throws IOException {
    InMemoryBudgetStore store = InMemoryBudgetStore.create();
    store.reserve("crashed", caps(), 9_000, NOW.plusSeconds(60), NOW);
    Path file = dir.resolve("budgets.jsonl");
    store.snapshot(file);

    InMemoryBudgetStore restored = InMemoryBudgetStore.builder().restore(file);

    assertThat(restored.balances(List.of(SUPPORT), NOW.plusSeconds(59)).get(0).reservedNanos())
        .isEqualTo(9_000);
    assertThat(restored.balances(List.of(SUPPORT), NOW.plusSeconds(60)).get(0).reservedNanos())
        .isZero();
  }

  @Test
  void aSnapshotReplacesTheFileWhole() throws IOException {
    Path file = dir.resolve("budgets.jsonl");
    Files.writeString(file, "old contents that are much longer than the new ones will be ".repeat(99));
    InMemoryBudgetStore.create().snapshot(file);

    assertThat(Files.readString(file)).isEqualTo(HEADER
        + "{\"end\":true,\"counters\":0,\"holds\":0,\"settled\":0}\n");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  private static String counter(int n, String id, long spent) {
    return "{\"counter\":" + n + ",\"budget\":\"team-monthly\",\"scope\":\"team\","
        + "\"tenant\":\"acme\",\"id\":\"" + id + "\",\"periodStart\":\"2026-12-01T00:00:00Z\","
        + "\"periodEnd\":\"2027-01-01T00:00:00Z\",\"spent\":" + spent + ",\"marks\":0}\n";
  }

  private static String end(int counters, int holds, int settled) {
    return "{\"end\":true,\"counters\":" + counters + ",\"holds\":" + holds + ",\"settled\":"
        + settled + "}\n";
  }

  private void refused(String contents, String message) throws IOException {
    Path file = dir.resolve("hostile.jsonl");
    Files.writeString(file, contents, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> InMemoryBudgetStore.builder().maxSnapshotBytes(64 * 1024)
        .maxCounters(3).restore(file))
        .isInstanceOf(BudgetSnapshotException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aHostileFileIsRefusedWithATypedErrorNamingTheLine() throws IOException {
    refused("", "is empty");
    refused("{\"format\":\"something-else\",\"version\":1}\n", "line 1: not a budget store");
    refused("not json\n", "line 1: not valid JSON");
    refused("[1,2,3]\n", "line 1: not a JSON object");
    refused("{\"format\":\"llm-gateway-budget-store\",\"version\":2}\n",
        "snapshot version 2 is not the version this store reads (1)");
    refused(HEADER + counter(0, "a", 5), "no end line after line 2: it was cut short");
    refused(HEADER + counter(0, "a", 5) + end(1, 0, 0).trim(), "ends without a line break");
    refused(HEADER + counter(0, "a", 5) + end(2, 0, 0), "line 3: the end line's counts differ");
    refused(HEADER + end(0, 0, 0) + counter(0, "a", 5), "line 3: a line after the end line");
    refused(HEADER + counter(0, "a", -5) + end(1, 0, 0), "line 2: 'spent' must be a whole number");
    refused(HEADER + counter(0, "a", 5).replace("\"spent\":5", "\"spent\":5.5") + end(1, 0, 0),
        "'spent' must be a whole number");
    refused(HEADER + counter(0, "a", 5).replace("\"spent\":5", "\"spent\":99999999999999999999")
        + end(1, 0, 0), "'spent' must be a whole number");
    refused(HEADER + counter(1, "a", 5) + end(1, 0, 0), "counter numbered 1, expected 0");
    refused(HEADER + counter(0, "a", 5) + counter(1, "a", 5) + end(2, 0, 0),
        "line 3: a counter written twice");
    refused(HEADER + counter(0, "a", 1) + counter(1, "b", 1) + counter(2, "c", 1)
        + counter(3, "d", 1) + end(4, 0, 0), "line 5: more than 3 counters");
    refused(HEADER + counter(0, "a", 5).replace("\"team\"", "\"galaxy\"") + end(1, 0, 0),
        "unknown scope");
    refused(HEADER + counter(0, "a", 5).replace("2027-01-01T00:00:00Z", "2026-11-01T00:00:00Z")
        + end(1, 0, 0), "a period that does not end after it starts");
    refused(HEADER + counter(0, "a", 5).replace("2027-01-01T00:00:00Z", "next year")
        + end(1, 0, 0), "'periodEnd' must be an ISO-8601 instant");
    refused(HEADER + counter(0, "a\\u0000b", 5) + end(1, 0, 0), "'id' holds a control character");
    refused(HEADER + counter(0, "x".repeat(1025), 5) + end(1, 0, 0),
        "'id' must be 1 to 1024 characters");
    refused(HEADER + counter(0, "x".repeat(5000), 5) + end(1, 0, 0),
        "line 2 is longer than 4096 bytes");
    refused(HEADER + counter(0, "a", 5) + "{\"hold\":\"c\",\"counters\":[1],\"amount\":5,"
        + "\"leaseUntil\":\"2026-12-15T12:00:00Z\"}\n" + end(1, 1, 0),
        "line 3: a reservation names counter 1, which is not written above");
    refused(HEADER + counter(0, "a", 5) + "{\"hold\":\"c\",\"counters\":[0,0],\"amount\":5,"
        + "\"leaseUntil\":\"2026-12-15T12:00:00Z\"}\n" + end(1, 1, 0), "one counter twice");
    refused(HEADER + counter(0, "a", 5) + "{\"hold\":\"c\",\"counters\":[],\"amount\":5,"
        + "\"leaseUntil\":\"2026-12-15T12:00:00Z\"}\n" + end(1, 1, 0), "must list 1 to 16");
    refused(HEADER + "{\"settled\":\"c\",\"until\":\"2026-12-15T12:00:00Z\"}\n"
        + "{\"settled\":\"c\",\"until\":\"2026-12-15T12:00:00Z\"}\n" + end(0, 0, 2),
        "line 3: a call id written twice");
    refused(HEADER + "{\"settled\":\"c\",\"until\":\"2026-12-15T12:00:00Z\"}\n"
        + counter(0, "a", 5) + end(1, 0, 1), "a counter after the reservations");
    refused(HEADER + "{\"something\":1}\n" + end(0, 0, 0), "no counter, reservation");
    refused(HEADER + "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}\n" + end(0, 0, 0),
        "line 2: not valid JSON");
  }

  @Test
  void aFileLargerThanTheBoundIsRefusedBeforeItIsRead() throws IOException {
    Path file = dir.resolve("large.jsonl");
    StringBuilder s = new StringBuilder(HEADER);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      lines.add("{\"settled\":\"call-" + i + "\",\"until\":\"2026-12-15T12:00:00Z\"}\n");
    }
    lines.forEach(s::append);
    s.append(end(0, 0, 1_000));
    Files.writeString(file, s);

    assertThatThrownBy(() -> InMemoryBudgetStore.builder().maxSnapshotBytes(4096).restore(file))
        .isInstanceOf(BudgetSnapshotException.class)
        .hasMessageContaining("more than the 4096 this store reads");
    assertThat(InMemoryBudgetStore.builder().restore(file).callIdCount()).isEqualTo(1_000);
  }
}
