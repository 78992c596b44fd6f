package dev.llmgateway.report.internal;

import dev.llmgateway.report.Dimension;
import dev.llmgateway.report.Granularity;
import dev.llmgateway.report.ReportLimitExceededException;
import dev.llmgateway.report.UsageRow;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Sums calls into groups: one map per grouping keyed by {@code [period, value...]}, the cost per
 * team per day, and the figures per alias and variant. Every group of every map counts toward one
 * bound. Not thread-safe.
 */
public final class Aggregation {

  private static final long DAY_MILLIS = 86_400_000L;

  private final List<List<Dimension>> groupings;
  private final Granularity granularity;
  private final long maxGroups;
  private final List<Map<List<String>, Tally>> tables = new ArrayList<>();
  private final Map<List<String>, Tally> teamPerDay = new HashMap<>();
  private final Map<String, Map<String, Tally>> variants = new TreeMap<>();
  private final Map<Long, String> dayLabels = new HashMap<>();
  private final Map<Long, String> monthLabels = new HashMap<>();
  private long groups;

  /**
   * An empty aggregation.
   *
   * @param groupings each a list of dimensions making one table
   * @param maxGroups the most groups over all tables
   */
  public Aggregation(List<List<Dimension>> groupings, Granularity granularity, long maxGroups) {
    this.groupings = groupings;
    this.granularity = granularity;
    this.maxGroups = maxGroups;
    for (int i = 0; i < groupings.size(); i++) {
      tables.add(new HashMap<>());
    }
  }

  /**
   * Adds one call with its score to every table.
   *
   * @throws ReportLimitExceededException past {@code maxGroups} groups
   */
  public void add(CallRow call, @Nullable Score score) {
    long day = Math.floorDiv(call.epochMillis(), DAY_MILLIS);
    String period = granularity == Granularity.DAY ? dayLabel(day) : monthLabel(day);
    for (int i = 0; i < groupings.size(); i++) {
      List<Dimension> dimensions = groupings.get(i);
      List<String> tags = dimensions.contains(Dimension.TAG) && !call.tags().isEmpty()
          ? call.tags() : null;
      if (tags == null) {
        tally(tables.get(i), key(period, dimensions, call, UsageRow.NONE)).add(call, score);
      } else {
        for (String tag : tags) {
          tally(tables.get(i), key(period, dimensions, call, tag)).add(call, score);
        }
      }
    }
    tally(teamPerDay, List.of(dayLabel(day), orNone(call.team()))).add(call, score);
    boolean decided = call.outcome() == Outcome.SUCCEEDED || call.outcome() == Outcome.FAILED
        || call.outcome() == Outcome.STREAM_FAILED;
    if (call.variant() != null && decided && !call.cacheHit()) {
      Map<String, Tally> byVariant =
          variants.computeIfAbsent(orNone(call.alias()), alias -> new TreeMap<>());
      Tally tally = byVariant.get(call.variant());
      if (tally == null) {
        count();
        tally = new Tally();
        byVariant.put(call.variant(), tally);
      }
      tally.add(call, score);
    }
  }

  private Tally tally(Map<List<String>, Tally> table, List<String> key) {
    Tally tally = table.get(key);
    if (tally == null) {
      count();
      tally = new Tally();
      table.put(key, tally);
    }
    return tally;
  }

  private void count() {
    if (++groups > maxGroups) {
      throw new ReportLimitExceededException("maxGroups", maxGroups, "distinct groups; group by"
          + " fewer dimensions (--by), use --period month, narrow the period, or raise the limit"
          + " (UsageReport.Builder.maxGroups, --max-groups)");
    }
  }

  private static List<String> key(
      String period, List<Dimension> dimensions, CallRow call, String tag) {
    String[] key = new String[dimensions.size() + 1];
    key[0] = period;
    for (int i = 0; i < dimensions.size(); i++) {
      key[i + 1] = switch (dimensions.get(i)) {
        case TEAM -> orNone(call.team());
        case PROJECT -> orNone(call.project());
        case TAG -> tag;
        case PROVIDER -> orNone(call.provider());
        case MODEL -> orNone(call.model());
        case VARIANT -> orNone(call.variant());
        case ALIAS -> orNone(call.alias());
      };
    }
    return List.of(key);
  }

  private static String orNone(@Nullable String value) {
    return value == null ? UsageRow.NONE : value;
  }

  private String dayLabel(long day) {
    return dayLabels.computeIfAbsent(day, d -> LocalDate.ofEpochDay(d).toString());
  }

  private String monthLabel(long day) {
    return monthLabels.computeIfAbsent(day,
        d -> YearMonth.from(LocalDate.ofEpochDay(d)).toString());
  }

  /** Per grouping, its groups keyed by {@code [period, value...]}. */
  public List<Map<List<String>, Tally>> tables() {
    return tables;
  }

  /** Per {@code [day, team]}, every call of that team that day. */
  public Map<List<String>, Tally> teamPerDay() {
    return teamPerDay;
  }

  /**
   * Per alias (sorted), per variant (sorted): the calls that variant decided — succeeded, failed or
   * stream failed, cache hits left out.
   */
  public Map<String, Map<String, Tally>> variants() {
    return variants;
  }
}
