package dev.llmgateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded, generated month of 100,000 calls (see {@link UsageGenerator}): the report's figures
 * equal the generator's. Measured on the shared 2-core build machine: writing the 101,000 lines
 * about 1.2 s, reading and reporting them about 2.5 s (a cold JVM); nothing here asserts a time.
 */
@Timeout(60)
class GeneratedMonthTest {

  private static final int CALLS = 100_000;

  @TempDir
  static Path dir;

  private static UsageGenerator generated;
  private static ReportResult result;

  @BeforeAll
  static void generateAndReport() throws Exception {
    generated = new UsageGenerator().write(dir.resolve("usage.jsonl"), CALLS, 26L);
    result = UsageReport.builder()
        .input(dir)
        .from(UsageGenerator.FROM)
        .to(UsageGenerator.TO)
        .groupBy(Dimension.TEAM)
        .groupBy(Dimension.TAG)
        .groupBy(Dimension.TEAM, Dimension.PROJECT)
        .build()
        .read();
  }

  @Test
  void costPerTeamEqualsTheGeneratorsBigDecimalSumExactly() {
    Map<String, BigDecimal> reported = result.tables().get(0).rows().stream()
        .collect(Collectors.toMap(r -> r.values().get(0), UsageRow::cost, BigDecimal::add));
    assertThat(reported).isEqualTo(generated.costPerTeam);
    assertThat(result.tables().get(0).rows()).allSatisfy(r -> assertThat(r.period())
        .isEqualTo("2026-12"));
  }

  @Test
  void teamAndProjectRowsAddUpToTheTeamRows() {
    Map<String, BigDecimal> byTeam = new HashMap<>();
    for (UsageRow r : result.tables().get(2).rows()) {
      byTeam.merge(r.values().get(0), r.cost(), BigDecimal::add);
    }
    assertThat(byTeam).isEqualTo(generated.costPerTeam);
  }

  @Test
  void costPerTeamPerDayAddsUpToTheGeneratorsSum() {
    Map<String, BigDecimal> byTeam = new HashMap<>();
    for (UsageRow r : result.teamCostPerDay().rows()) {
      byTeam.merge(r.values().get(0), r.cost(), BigDecimal::add);
    }
    assertThat(byTeam).isEqualTo(generated.costPerTeam);
    assertThat(result.teamCostPerDay().rows()).extracting(UsageRow::period)
        .contains("2026-12-01", "2026-12-31");
  }

  @Test
  void eachCallIdCountsOnceAndEachTaggedCallOncePerTag() {
    assertThat(result.summary().duplicateCalls()).isPositive();
    assertThat(result.tables().get(0).rows().stream().mapToLong(UsageRow::calls).sum())
        .isEqualTo(generated.calls);
    assertThat(result.tables().get(1).rows().stream().mapToLong(UsageRow::calls).sum())
        .isEqualTo(generated.taggedCounts);
    assertThat(result.summary().messages()).isEmpty();
  }

  @Test
  void cheapestVariantWithinMarginIsThePlantedOne() {
    VariantChoice smart = result.variantChoices().stream()
        .filter(c -> c.alias().equals("smart")).findFirst().orElseThrow();
    assertThat(smart.pick()).map(VariantStats::variant).contains(UsageGenerator.PLANTED_PICK);
    Map<String, VariantVerdict> verdicts = smart.variants().stream()
        .collect(Collectors.toMap(VariantStats::variant, VariantStats::verdict));
    assertThat(verdicts).containsExactlyInAnyOrderEntriesOf(Map.of(
        "tiny", VariantVerdict.TOO_FEW_CALLS,
        "mini", VariantVerdict.ERROR_RATE_OUTSIDE_MARGIN,
        "lite", VariantVerdict.SCORE_OUTSIDE_MARGIN,
        "mid", VariantVerdict.PICKED,
        "big", VariantVerdict.WITHIN_MARGIN));
    assertThat(result.variantChoices()).extracting(VariantChoice::alias).containsExactly("smart");
  }

  @Test
  void laterFeedbackWinsOverTheEarlierStaleScore() {
    VariantStats big = result.variantChoices().get(0).variants().stream()
        .filter(v -> v.variant().equals("big")).findFirst().orElseThrow();
    assertThat(big.meanScore().orElseThrow()).isBetween(0.80, 0.84);
  }
}
