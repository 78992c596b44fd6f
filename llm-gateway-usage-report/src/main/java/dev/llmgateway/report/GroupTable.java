package dev.llmgateway.report;

import java.util.List;

/**
 * One grouping's rows: calls summed per period and per value of each of its dimensions, sorted by
 * period, then by values. Immutable and thread-safe.
 */
public final class GroupTable {

  private final List<Dimension> dimensions;
  private final Granularity granularity;
  private final List<UsageRow> rows;

  GroupTable(List<Dimension> dimensions, Granularity granularity, List<UsageRow> rows) {
    this.dimensions = List.copyOf(dimensions);
    this.granularity = granularity;
    this.rows = List.copyOf(rows);
  }

  /** The dimensions grouped by, in column order (empty: one row per period). */
  public List<Dimension> dimensions() {
    return dimensions;
  }

  /** The period each row covers. */
  public Granularity granularity() {
    return granularity;
  }

  /** The rows, by period, then by values. */
  public List<UsageRow> rows() {
    return rows;
  }

  /** A title such as {@code By team and project, per month}. */
  public String title() {
    StringBuilder title = new StringBuilder(dimensions.isEmpty() ? "All calls" : "By ");
    for (int i = 0; i < dimensions.size(); i++) {
      title.append(i == 0 ? "" : i == dimensions.size() - 1 ? " and " : ", ")
          .append(dimensions.get(i).label());
    }
    return title.append(", per ").append(granularity.label()).toString();
  }

  @Override
  public String toString() {
    return "GroupTable[" + title() + ", " + rows.size() + " rows]";
  }
}
