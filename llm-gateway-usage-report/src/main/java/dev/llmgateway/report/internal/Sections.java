package dev.llmgateway.report.internal;

import dev.llmgateway.report.Dimension;
import dev.llmgateway.report.GroupTable;
import dev.llmgateway.report.ReportResult;
import dev.llmgateway.report.UsageRow;
import dev.llmgateway.report.VariantChoice;
import dev.llmgateway.report.VariantStats;
import dev.llmgateway.report.VariantVerdict;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a {@link ReportResult} into the sections both renderers print, so the text report and
 * the HTML page show the same cells. Stateless.
 */
public final class Sections {

  /** The most bars one chart draws; the table always has every row. */
  static final int MAX_BARS = 30;

  /** The most teams the cost-per-day chart draws as lines; the table has every team. */
  static final int MAX_LINES = 8;

  private Sections() {}

  /** The sections of {@code result}, in order. */
  public static List<Section> of(ReportResult result) {
    List<Section> sections = new ArrayList<>();
    for (GroupTable table : result.tables()) {
      sections.add(groupSection(table));
    }
    sections.add(teamPerDay(result.teamCostPerDay()));
    sections.add(latencyPerVariant(result.variantChoices()));
    sections.add(errorRatePerVariant(result.variantChoices()));
    sections.add(cheapest(result));
    return sections;
  }

  /** The header lines: period, files and records read, and every skipped line's message. */
  public static List<String> header(ReportResult result) {
    List<String> lines = new ArrayList<>();
    lines.add("period: " + result.from().map(Object::toString).orElse("(start)") + " to "
        + result.to().map(Object::toString).orElse("(end)") + " (UTC, end exclusive)");
    var s = result.summary();
    lines.add("read " + s.files().size() + " file" + (s.files().size() == 1 ? "" : "s") + ", "
        + s.lines() + " lines: " + s.callRecords() + " call records (" + s.outsidePeriod()
        + " outside the period, " + s.duplicateCalls() + " duplicate call ids counted once), "
        + s.feedbackRecords() + " feedback records");
    for (String message : s.messages()) {
      lines.add(Format.clean(message));
    }
    return lines;
  }

  private static Section groupSection(GroupTable table) {
    List<String> headers = new ArrayList<>();
    List<Boolean> numeric = new ArrayList<>();
    headers.add(table.granularity().label());
    numeric.add(false);
    for (Dimension d : table.dimensions()) {
      headers.add(d.label());
      numeric.add(false);
    }
    for (String h : List.of("calls", "ok", "failed", "stream failed", "refused", "other",
        "errors by type", "input tok", "output tok", "cached tok", "reasoning tok", "cost USD",
        "unknown cost", "p50 ms", "p95 ms", "score")) {
      headers.add(h);
      numeric.add(!h.equals("errors by type"));
    }
    List<List<String>> rows = new ArrayList<>();
    for (UsageRow r : table.rows()) {
      List<String> row = new ArrayList<>();
      row.add(r.period());
      for (String v : r.values()) {
        row.add(Format.text(v));
      }
      row.add(Format.count(r.calls()));
      row.add(Format.count(r.succeeded()));
      row.add(Format.count(r.failed()));
      row.add(Format.count(r.streamFailed()));
      row.add(Format.count(r.refused()));
      row.add(Format.count(r.otherCalls()));
      row.add(Format.errorTypes(r.errorsByType()));
      row.add(Format.count(r.inputTokens()));
      row.add(Format.count(r.outputTokens()));
      row.add(Format.count(r.cachedTokens()));
      row.add(Format.count(r.reasoningTokens()));
      row.add(Format.dollars(r.cost()));
      row.add(Format.count(r.unknownCostCalls()));
      row.add(Format.millis(r.latencyP50Micros()));
      row.add(Format.millis(r.latencyP95Micros()));
      row.add(Format.score(r.meanScore()));
      rows.add(row);
    }
    List<UsageRow> top = new ArrayList<>(table.rows());
    top.sort(Comparator.comparing(UsageRow::cost).reversed());
    top = top.subList(0, Math.min(MAX_BARS, top.size()));
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (UsageRow r : top) {
      labels.add(Format.text(r.period() + " " + String.join(" / ", r.values())));
      values.add(r.cost().doubleValue());
    }
    String caption = "cost in USD per row" + (table.rows().size() > MAX_BARS
        ? ", the " + MAX_BARS + " dearest of " + table.rows().size() + " rows" : "");
    return new Section(id(table), table.title(), List.of(), headers, numeric, rows,
        new Chart.Bars(caption, "USD", labels, values, List.of()));
  }

  private static String id(GroupTable table) {
    StringBuilder id = new StringBuilder("by");
    for (Dimension d : table.dimensions()) {
      id.append('-').append(d.label());
    }
    return id.append("-per-").append(table.granularity().label()).toString();
  }

  private static Section teamPerDay(GroupTable table) {
    List<List<String>> rows = new ArrayList<>();
    Map<String, BigDecimal> costByTeam = new HashMap<>();
    TreeSet<String> days = new TreeSet<>();
    for (UsageRow r : table.rows()) {
      rows.add(List.of(r.period(), Format.text(r.values().get(0)), Format.count(r.calls()),
          Format.dollars(r.cost()), Format.count(r.unknownCostCalls())));
      costByTeam.merge(r.values().get(0), r.cost(), BigDecimal::add);
      days.add(r.period());
    }
    List<String> teams = new ArrayList<>(costByTeam.keySet());
    teams.sort(Comparator.comparing((String t) -> costByTeam.get(t)).reversed()
        .thenComparing(Comparator.naturalOrder()));
    List<String> drawn = teams.subList(0, Math.min(MAX_LINES, teams.size()));
    List<String> x = new ArrayList<>(days);
    Map<String, Integer> dayIndex = new HashMap<>();
    for (int i = 0; i < x.size(); i++) {
      dayIndex.put(x.get(i), i);
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    for (String team : drawn) {
      series.put(team, new double[x.size()]);
    }
    for (UsageRow r : table.rows()) {
      double[] line = series.get(r.values().get(0));
      if (line != null) {
        line[dayIndex.get(r.period())] = r.cost().doubleValue();
      }
    }
    List<String> names = new ArrayList<>();
    for (String team : drawn) {
      names.add(Format.text(team));
    }
    String caption = "cost in USD per team per UTC day" + (teams.size() > MAX_LINES
        ? ", the " + MAX_LINES + " dearest of " + teams.size() + " teams" : "");
    return new Section("cost-per-team-per-day", "Cost per team per day", List.of(),
        List.of("day", "team", "calls", "cost USD", "unknown cost"),
        List.of(false, false, true, true, true), rows,
        new Chart.Lines(caption, "USD", x, names, new ArrayList<>(series.values())));
  }

  private static Section latencyPerVariant(List<VariantChoice> choices) {
    List<List<String>> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (VariantChoice c : choices) {
      for (VariantStats v : c.variants()) {
        rows.add(List.of(Format.text(c.alias()), Format.text(v.variant()), Format.count(v.calls()),
            Format.millis(v.latencyP50Micros()), Format.millis(v.latencyP95Micros())));
        if (labels.size() < MAX_BARS) {
          labels.add(Format.text(c.alias() + " / " + v.variant()));
          values.add(v.latencyP95Micros().orElse(0) / 1000.0);
        }
      }
    }
    return new Section("p95-latency-per-variant", "p95 latency per variant",
        List.of("over each variant's decided calls (succeeded, failed, stream failed; cache hits"
            + " left out); nearest-rank percentiles"),
        List.of("alias", "variant", "calls", "p50 ms", "p95 ms"),
        List.of(false, false, true, true, true), rows,
        new Chart.Bars(caption("p95 latency in ms per variant", rows.size()), "ms", labels, values,
            List.of()));
  }

  private static Section errorRatePerVariant(List<VariantChoice> choices) {
    List<List<String>> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (VariantChoice c : choices) {
      for (VariantStats v : c.variants()) {
        rows.add(List.of(Format.text(c.alias()), Format.text(v.variant()), Format.count(v.calls()),
            Format.count(v.errors()), Format.percent(v.errorRate())));
        if (labels.size() < MAX_BARS) {
          labels.add(Format.text(c.alias() + " / " + v.variant()));
          values.add(v.errorRate() * 100);
        }
      }
    }
    return new Section("error-rate-per-variant", "Error rate per variant",
        List.of("errors are failed and stream-failed calls over each variant's decided calls"),
        List.of("alias", "variant", "calls", "errors", "error rate"),
        List.of(false, false, true, true, true), rows,
        new Chart.Bars(caption("error rate in % per variant", rows.size()), "%", labels, values,
            List.of()));
  }

  private static Section cheapest(ReportResult result) {
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "rule: among variants with at least %d decided calls and"
        + " a known cost, those whose error rate is at most the best + %s and whose mean score is"
        + " at least the best - %.3f (when any has a score); the pick is the one with the lowest"
        + " mean cost per call", result.minCalls(), points(result.errorMargin()),
        result.scoreMargin()));
    List<List<String>> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<Integer> picked = new ArrayList<>();
    for (VariantChoice c : result.variantChoices()) {
      notes.add(Format.text(c.alias()) + ": " + c.pick()
          .map(v -> "pick " + Format.text(v.variant()))
          .orElse("no pick (no variant has " + result.minCalls() + " decided calls and a known"
              + " cost)"));
      for (VariantStats v : c.variants()) {
        rows.add(List.of(Format.text(c.alias()), Format.text(v.variant()), Format.count(v.calls()),
            Format.percent(v.errorRate()), Format.score(v.meanScore()),
            v.meanCostPerCall().map(Format::dollars).orElse(Format.NONE),
            v.verdict().name().toLowerCase(Locale.ROOT)));
        if (labels.size() < MAX_BARS) {
          if (v.verdict() == VariantVerdict.PICKED) {
            picked.add(labels.size());
          }
          labels.add(Format.text(c.alias() + " / " + v.variant()));
          values.add(v.meanCostPerCall().map(BigDecimal::doubleValue).orElse(0.0));
        }
      }
    }
    return new Section("cheapest-variant-within-margin", "Cheapest variant within margin",
        Collections.unmodifiableList(notes),
        List.of("alias", "variant", "calls", "error rate", "score", "mean cost USD", "verdict"),
        List.of(false, false, true, true, true, true, false), rows,
        new Chart.Bars(caption("mean cost per call in USD per variant, the pick highlighted",
            rows.size()), "USD", labels, values, picked));
  }

  private static String points(double margin) {
    return String.format(Locale.ROOT, "%.2f percentage points", margin * 100);
  }

  private static String caption(String what, int rows) {
    return rows > MAX_BARS ? what + ", the first " + MAX_BARS + " of " + rows : what;
  }
}
