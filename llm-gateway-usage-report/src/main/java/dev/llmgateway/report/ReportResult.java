package dev.llmgateway.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A finished usage report: one table per grouping, the cost per team per day, the cheapest
 * variant within margin per alias, and what reading met. Render it with {@link TextReport} or
 * {@link HtmlReport}. Immutable and thread-safe.
 */
public final class ReportResult {

  private final @Nullable Instant from;
  private final @Nullable Instant to;
  private final List<GroupTable> tables;
  private final GroupTable teamCostPerDay;
  private final List<VariantChoice> variantChoices;
  private final ReadSummary summary;
  private final double errorMargin;
  private final double scoreMargin;
  private final long minCalls;

  ReportResult(@Nullable Instant from, @Nullable Instant to, List<GroupTable> tables,
      GroupTable teamCostPerDay, List<VariantChoice> variantChoices, ReadSummary summary,
      double errorMargin, double scoreMargin, long minCalls) {
    this.from = from;
    this.to = to;
    this.tables = List.copyOf(tables);
    this.teamCostPerDay = teamCostPerDay;
    this.variantChoices = List.copyOf(variantChoices);
    this.summary = summary;
    this.errorMargin = errorMargin;
    this.scoreMargin = scoreMargin;
    this.minCalls = minCalls;
  }

  /** The period's inclusive start, empty when unbounded. */
  public Optional<Instant> from() {
    return Optional.ofNullable(from);
  }

  /** The period's exclusive end, empty when unbounded. */
  public Optional<Instant> to() {
    return Optional.ofNullable(to);
  }

  /** One table per grouping, in the order they were asked for. */
  public List<GroupTable> tables() {
    return tables;
  }

  /** Every call's cost per team ({@link Dimension#TEAM}) per UTC day. */
  public GroupTable teamCostPerDay() {
    return teamCostPerDay;
  }

  /** Per alias with variants, sorted by alias: the variants and the pick. */
  public List<VariantChoice> variantChoices() {
    return variantChoices;
  }

  /** What reading the files met, skipped lines included. */
  public ReadSummary summary() {
    return summary;
  }

  /** The error-rate margin of the variant rule (0.01 = one percentage point). */
  public double errorMargin() {
    return errorMargin;
  }

  /** The score margin of the variant rule. */
  public double scoreMargin() {
    return scoreMargin;
  }

  /** The fewest decided calls a variant needs to be judged. */
  public long minCalls() {
    return minCalls;
  }

  @Override
  public String toString() {
    return "ReportResult[" + tables + ", " + variantChoices + ", " + summary + "]";
  }
}
