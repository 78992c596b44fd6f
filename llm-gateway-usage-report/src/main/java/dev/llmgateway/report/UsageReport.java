package dev.llmgateway.report;

import dev.llmgateway.report.internal.Aggregation;
import dev.llmgateway.report.internal.CallRow;
import dev.llmgateway.report.internal.Tally;
import dev.llmgateway.report.internal.UsageReader;
import dev.llmgateway.report.internal.VariantRule;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A usage report over JSON Lines usage files (schema {@value #SCHEMA}, see the package
 * documentation): calls, errors by type, tokens, cost, latency p50/p95 and mean feedback score per
 * team / project / tag / provider / model / variant / alias and period, and for each alias the
 * cheapest variant within margin ({@link VariantChoice}).
 *
 * <pre>{@code
 * ReportResult result = UsageReport.builder()
 *     .input(Path.of("usage"))                       // a directory of *.jsonl, rotated ones too
 *     .from(LocalDate.of(2026, 12, 1)).to(LocalDate.of(2027, 1, 1))
 *     .groupBy(Dimension.TEAM)
 *     .groupBy(Dimension.TEAM, Dimension.PROJECT)
 *     .build()
 *     .read();
 * System.out.print(TextReport.render(result));
 * }</pre>
 *
 * <p>Reading: a directory contributes its regular files whose name ends in {@code .jsonl} or
 * {@code .jsonl.gz} or contains {@code .jsonl.} (rotated: {@code usage.jsonl.1},
 * {@code usage.jsonl.2026-12-07}), not its subdirectories; files named directly are read whatever
 * their name; {@code .gz} files are decompressed. Unknown fields are ignored. Each call id counts
 * once (delivery is at least once). A feedback record joins its call by call id wherever it lies;
 * of several for one call the latest by timestamp wins (equal timestamps: the one read last).
 * Lines longer than {@link Builder#maxLineBytes}, a torn last line (no final newline, not valid
 * JSON) and invalid lines are skipped and reported in {@link ReadSummary}; a line of a newer schema
 * throws {@link UnsupportedSchemaException}. Memory grows with the calls in the period (each kept
 * until the end to join its feedback), bounded by {@link Builder#maxCalls}, and with the groups,
 * bounded by {@link Builder#maxGroups}.
 *
 * <p>Immutable and thread-safe; each {@link #read()} reads the files afresh on the calling thread.
 */
public final class UsageReport {

  /** The newest usage schema this report reads. */
  public static final int SCHEMA = UsageReader.SCHEMA;

  private final List<Path> inputs;
  private final @Nullable Instant from;
  private final @Nullable Instant to;
  private final List<List<Dimension>> groupings;
  private final Granularity granularity;
  private final double errorMargin;
  private final double scoreMargin;
  private final long minCalls;
  private final int maxLineBytes;
  private final long maxGroups;
  private final long maxCalls;

  private UsageReport(Builder b) {
    this.inputs = List.copyOf(b.inputs);
    this.from = b.from;
    this.to = b.to;
    List<List<Dimension>> groupings = new ArrayList<>(b.groupings);
    if (groupings.isEmpty()) {
      for (Dimension d : Dimension.values()) {
        groupings.add(List.of(d));
      }
    }
    this.groupings = List.copyOf(groupings);
    this.granularity = b.granularity;
    this.errorMargin = b.errorMargin;
    this.scoreMargin = b.scoreMargin;
    this.minCalls = b.minCalls;
    this.maxLineBytes = b.maxLineBytes;
    this.maxGroups = b.maxGroups;
    this.maxCalls = b.maxCalls;
  }

  /** A builder with the defaults: no period bound, one table per dimension, by month. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the inputs and makes the report.
   *
   * @return the report
   * @throws UsageFileException when an input does not exist, cannot be read, or is a directory
   *     without usage files
   * @throws UnsupportedSchemaException on a line of a newer schema
   * @throws ReportLimitExceededException past {@link Builder#maxCalls} calls or
   *     {@link Builder#maxGroups} groups
   */
  public ReportResult read() {
    UsageReader reader = new UsageReader(maxLineBytes,
        from == null ? Long.MIN_VALUE : from.toEpochMilli(),
        to == null ? Long.MAX_VALUE : to.toEpochMilli(), maxCalls);
    for (Path file : files()) {
      reader.read(file);
    }
    Aggregation aggregation = new Aggregation(groupings, granularity, maxGroups);
    for (CallRow call : reader.calls().values()) {
      aggregation.add(call, reader.scores().get(call.callId()));
    }
    List<GroupTable> tables = new ArrayList<>();
    for (int i = 0; i < groupings.size(); i++) {
      tables.add(new GroupTable(groupings.get(i), granularity, rows(aggregation.tables().get(i))));
    }
    GroupTable teamPerDay =
        new GroupTable(List.of(Dimension.TEAM), Granularity.DAY, rows(aggregation.teamPerDay()));
    List<VariantChoice> choices = new ArrayList<>();
    VariantRule rule = new VariantRule(errorMargin, scoreMargin, minCalls);
    for (Map.Entry<String, Map<String, Tally>> alias : aggregation.variants().entrySet()) {
      choices.add(choice(rule, alias.getKey(), alias.getValue()));
    }
    return new ReportResult(from, to, tables, teamPerDay, choices,
        new ReadSummary(reader.diagnostics(), maxLineBytes), errorMargin, scoreMargin, minCalls);
  }

  private static VariantChoice choice(VariantRule rule, String alias, Map<String, Tally> byName) {
    List<VariantRule.Candidate> candidates = new ArrayList<>();
    for (Map.Entry<String, Tally> e : byName.entrySet()) {
      Tally t = e.getValue();
      long errors = t.failed() + t.streamFailed();
      long priced = t.calls() - t.unknownCostCalls();
      candidates.add(new VariantRule.Candidate(e.getKey(), t.calls(),
          t.calls() == 0 ? 0 : (double) errors / t.calls(), meanCost(t.cost(), priced),
          t.meanScore()));
    }
    List<VariantVerdict> verdicts = rule.judge(candidates);
    List<VariantStats> stats = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, Tally> e : byName.entrySet()) {
      Tally t = e.getValue();
      VariantRule.Candidate c = candidates.get(i);
      stats.add(new VariantStats(e.getKey(), t.calls(), t.failed() + t.streamFailed(),
          c.meanCost(), t.unknownCostCalls(), t.meanScore(), t.scoredCalls(),
          t.latencyPercentile(50), t.latencyPercentile(95), verdicts.get(i)));
      i++;
    }
    return new VariantChoice(alias, stats);
  }

  private static @Nullable BigDecimal meanCost(BigDecimal sum, long priced) {
    return priced == 0 ? null : sum.divide(BigDecimal.valueOf(priced), MathContext.DECIMAL64);
  }

  private static List<UsageRow> rows(Map<List<String>, Tally> groups) {
    List<UsageRow> rows = new ArrayList<>(groups.size());
    for (Map.Entry<List<String>, Tally> group : groups.entrySet()) {
      List<String> key = group.getKey();
      rows.add(new UsageRow(key.get(0), key.subList(1, key.size()), group.getValue()));
    }
    rows.sort(Comparator.comparing(UsageRow::period).thenComparing(UsageReport::compareValues));
    return rows;
  }

  private static int compareValues(UsageRow a, UsageRow b) {
    for (int i = 0; i < a.values().size(); i++) {
      int c = a.values().get(i).compareTo(b.values().get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The usage files the inputs name, each directory's sorted by name. */
  private List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> entries = Files.list(input)) {
          List<Path> found = entries
              .filter(p -> Files.isRegularFile(p) && isUsageFileName(p.getFileName().toString()))
              .sorted()
              .toList();
          if (found.isEmpty()) {
            throw new UsageFileException(input, "this directory holds no usage files (*.jsonl,"
                + " *.jsonl.gz or rotated *.jsonl.*); name the files or another directory", null);
          }
          files.addAll(found);
        } catch (IOException e) {
          throw new UsageFileException(input, "cannot list this directory (" + e + ")", e);
        }
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        throw new UsageFileException(input, "no such usage file or directory; check the path",
            null);
      }
    }
    return files;
  }

  static boolean isUsageFileName(String name) {
    return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.contains(".jsonl.");
  }

  /** The files or directories read. */
  public List<Path> inputs() {
    return inputs;
  }

  /** The tables made: each a list of dimensions. */
  public List<List<Dimension>> groupings() {
    return groupings;
  }

  /**
   * Builds a {@link UsageReport}. Not thread-safe; reusable: {@link #build()} copies its state.
   */
  public static final class Builder {

    private final List<Path> inputs = new ArrayList<>();
    private @Nullable Instant from;
    private @Nullable Instant to;
    private final List<List<Dimension>> groupings = new ArrayList<>();
    private Granularity granularity = Granularity.MONTH;
    private double errorMargin = 0.01;
    private double scoreMargin = 0.05;
    private long minCalls = 30;
    private int maxLineBytes = 1 << 20;
    private long maxGroups = 100_000;
    private long maxCalls = 5_000_000;

    private Builder() {}

    /**
     * Adds usage files or directories of them.
     *
     * @return this builder
     */
    public Builder input(Path... paths) {
      inputs.addAll(Arrays.asList(paths));
      return this;
    }

    /**
     * Adds usage files or directories of them.
     *
     * @return this builder
     */
    public Builder inputs(List<Path> paths) {
      inputs.addAll(paths);
      return this;
    }

    /**
     * Keeps calls at or after {@code from} (default: no bound).
     *
     * @return this builder
     */
    public Builder from(@Nullable Instant from) {
      this.from = from;
      return this;
    }

    /**
     * Keeps calls from the start of {@code day} in UTC.
     *
     * @return this builder
     */
    public Builder from(LocalDate day) {
      return from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /**
     * Keeps calls before {@code to}, exclusive (default: no bound).
     *
     * @return this builder
     */
    public Builder to(@Nullable Instant to) {
      this.to = to;
      return this;
    }

    /**
     * Keeps calls before the start of {@code day} in UTC: {@code to(2027-01-01)} ends with the last
     * day of 2026.
     *
     * @return this builder
     */
    public Builder to(LocalDate day) {
      return to(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /**
     * Adds one table grouped by these dimensions together (and the period); call again for more
     * tables. Without any call, the report makes one table per {@link Dimension}.
     *
     * @return this builder
     * @throws IllegalArgumentException when a dimension repeats
     */
    public Builder groupBy(Dimension... dimensions) {
      List<Dimension> list = List.of(dimensions);
      if (list.stream().distinct().count() != list.size()) {
        throw new IllegalArgumentException("groupBy " + list + " names a dimension twice");
      }
      groupings.add(list);
      return this;
    }

    /**
     * The period of each row (default {@link Granularity#MONTH}).
     *
     * @return this builder
     */
    public Builder granularity(Granularity granularity) {
      this.granularity = granularity;
      return this;
    }

    /**
     * How far above the best error rate a variant may be and still be picked, as a fraction: 0.01
     * (the default) is one percentage point.
     *
     * @return this builder
     * @throws IllegalArgumentException outside [0, 1]
     */
    public Builder errorMargin(double margin) {
      this.errorMargin = fraction("errorMargin", margin);
      return this;
    }

    /**
     * How far below the best mean score a variant may be and still be picked (default 0.05).
     *
     * @return this builder
     * @throws IllegalArgumentException outside [0, 1]
     */
    public Builder scoreMargin(double margin) {
      this.scoreMargin = fraction("scoreMargin", margin);
      return this;
    }

    /**
     * The fewest decided calls a variant needs to be judged (default 30).
     *
     * @return this builder
     * @throws IllegalArgumentException below 1
     */
    public Builder minCalls(long minCalls) {
      this.minCalls = positive("minCalls", minCalls);
      return this;
    }

    /**
     * Lines longer than this many bytes are skipped and counted (default 1 MiB).
     *
     * @return this builder
     * @throws IllegalArgumentException below 1
     */
    public Builder maxLineBytes(int maxLineBytes) {
      this.maxLineBytes = (int) positive("maxLineBytes", maxLineBytes);
      return this;
    }

    /**
     * The most groups over all tables before the report stops with
     * {@link ReportLimitExceededException} (default 100,000).
     *
     * @return this builder
     * @throws IllegalArgumentException below 1
     */
    public Builder maxGroups(long maxGroups) {
      this.maxGroups = positive("maxGroups", maxGroups);
      return this;
    }

    /**
     * The most distinct calls in the period (and call ids with feedback) before the report stops
     * with {@link ReportLimitExceededException} (default 5,000,000).
     *
     * @return this builder
     * @throws IllegalArgumentException below 1
     */
    public Builder maxCalls(long maxCalls) {
      this.maxCalls = positive("maxCalls", maxCalls);
      return this;
    }

    /**
     * The report.
     *
     * @return a report over a copy of this builder's state
     * @throws IllegalStateException without inputs, or when {@code from} is not before {@code to}
     */
    public UsageReport build() {
      if (inputs.isEmpty()) {
        throw new IllegalStateException("no usage files: add files or directories with input()");
      }
      if (from != null && to != null && !from.isBefore(to)) {
        throw new IllegalStateException("from " + from + " is not before to " + to
            + "; the period is [from, to)");
      }
      return new UsageReport(this);
    }

    private static double fraction(String name, double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException(name + " must be a fraction in [0, 1], e.g. 0.01 for"
            + " one percentage point; got " + value);
      }
      return value;
    }

    private static long positive(String name, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1; got " + value);
      }
      return value;
    }
  }
}
