package dev.llmgateway.benchmarks.load;

import dev.llmgateway.benchmarks.load.Report.Config;
import dev.llmgateway.benchmarks.load.Report.Spread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The targets and summary section of the {@link LoadRunner}'s report (issue 25), one line per
 * target and place (mode and callers) it applies to. Every figure is the median over rounds of a
 * per-round ratio or difference of B against A in the same round, shown with its min–max spread
 * (the speed targets also for B1, B without the input and output policies, when the run has it):
 *
 * <ul>
 *   <li>at 16 and 64 callers, unary and stream: CPU per request B/A ≤ {@value #CPU}, and
 *       throughput B/A ≥ {@value #THROUGHPUT};
 *   <li>streams at 16 callers: first event p50 B − A ≤ +{@value #FIRST_EVENT_16_MICROS} µs;
 *   <li>at 1 caller: unary p50 B − A ≤ +{@value #UNARY_P50_1_MICROS} µs, and stream first event
 *       p50 B − A ≤ +{@value #FIRST_EVENT_1_MICROS} µs;
 *   <li>allocation B − A ≤ {@value #ALLOCATION_BYTES} bytes per unary call, at every number of
 *       callers measured;
 *   <li>"B/C ≥ 10 where C ran", read as: the p50 latency Portkey adds over the raw client is at
 *       least {@value #PROXY_FACTOR} times what the gateway adds, (C − A)/(B − A) ≥ 10, with C − A
 *       and B − A the medians over rounds of the per-round p50 differences (met outright when B −
 *       A ≤ 0 and C − A > 0); the plain throughput B/C is reported beside it;
 *   <li>with a paced upstream each event reaches the caller within 1 ms of arriving: B − A of the
 *       per-event lateness ({@link Lateness}; A's stands for arriving) at p99 ≤ {@value
 *       #LATENESS_MICROS} µs;
 *   <li>report only: the tail ratio p99/p50 of B and of A at 16 callers, unary and stream.
 * </ul>
 *
 * A target whose arms had failed calls is "not measured". Given a previous run's {@link Figures},
 * each line also carries the same figure computed from that run, or "–" when it lacks it.
 */
final class Targets {
  static final double CPU = 1.10;
  static final double THROUGHPUT = 0.95;
  static final double FIRST_EVENT_16_MICROS = 50;
  static final double UNARY_P50_1_MICROS = 10;
  static final double FIRST_EVENT_1_MICROS = 20;
  static final double ALLOCATION_BYTES = 3_000;
  static final double PROXY_FACTOR = 10;
  static final double LATENESS_MICROS = 1_000;
  static final String REPORT_ONLY = "report only";
  static final String NOT_MEASURED = "not measured";
  /** The previous column's entry where the previous run lacks the figure. */
  static final String NONE = "–";

  private Targets() {}

  /**
   * One target at one place: what was measured and whether it was met, and the same figure from
   * the previous run ({@link #NONE} without one).
   */
  record Line(String target, String where, String measured, String verdict, String previous) {}

  /**
   * What a target found at one place; {@code lacking} says the figures do not have what it needs
   * (an arm, or a figure), as opposed to having it and refusing it for failed calls.
   */
  private record Outcome(String measured, String verdict, boolean lacking) {
    static Outcome of(String measured, boolean met) {
      return new Outcome(measured, met ? "met" : "missed", false);
    }

    static Outcome lacking(String why) {
      return new Outcome(why, NOT_MEASURED, true);
    }
  }

  /** A target's computation at one place, from the arms there. */
  private interface Rule {
    Outcome at(Map<String, Figures.Arm> arms);
  }

  /** The lines for a run's configurations; {@code armC} is the report's line on arm C. */
  static List<Line> lines(List<Config> configs, String armC) {
    return lines(Figures.of(configs), null, armC);
  }

  /** The lines for a run's figures, each with the previous run's figure if one is given. */
  static List<Line> lines(Figures run, @Nullable Figures previous, String armC) {
    List<Line> lines = new ArrayList<>();
    List<Figures.Place> places = run.places();
    for (String arm : gatewayArms(run)) {
      String x = arm + "/A";
      for (Figures.Place p : places) {
        if (loaded(p)) {
          lines.add(line(run, previous, p, "CPU per request " + x + " ≤ " + fixed(CPU),
              arms -> ratioTarget(arms, arm, Figures.CPU, CPU, false)));
        }
      }
      for (Figures.Place p : places) {
        if (loaded(p)) {
          lines.add(line(run, previous, p, "throughput " + x + " ≥ " + fixed(THROUGHPUT),
              arms -> ratioTarget(arms, arm, Figures.REQUESTS_PER_SECOND, THROUGHPUT, true)));
        }
      }
    }
    for (String arm : gatewayArms(run)) {
      String d = arm + " − A";
      for (Figures.Place p : places) {
        if (p.mode().equals("stream") && p.callers() == 16) {
          lines.add(line(run, previous, p, "first event p50 " + d + " ≤ " + micros(
              FIRST_EVENT_16_MICROS), arms -> differenceTarget(arms, arm,
              Figures.FIRST_EVENT_P50, FIRST_EVENT_16_MICROS, " µs")));
        }
      }
      for (Figures.Place p : places) {
        if (p.callers() == 1 && p.mode().equals("chat")) {
          lines.add(line(run, previous, p, "p50 " + d + " ≤ " + micros(UNARY_P50_1_MICROS),
              arms -> differenceTarget(arms, arm, Figures.P50, UNARY_P50_1_MICROS, " µs")));
        } else if (p.callers() == 1 && p.mode().equals("stream")) {
          lines.add(line(run, previous, p, "first event p50 " + d + " ≤ " + micros(
              FIRST_EVENT_1_MICROS), arms -> differenceTarget(arms, arm,
              Figures.FIRST_EVENT_P50, FIRST_EVENT_1_MICROS, " µs")));
        }
      }
      for (Figures.Place p : places) {
        if (p.mode().equals("chat")) {
          lines.add(line(run, previous, p, "allocation " + d + " ≤ "
                  + String.format(Locale.ROOT, "%,.0f", ALLOCATION_BYTES) + " B per call",
              arms -> differenceTarget(arms, arm, Figures.BYTES, ALLOCATION_BYTES, " B")));
        }
      }
    }
    boolean cRan = false;
    for (Figures.Place p : places) {
      Map<String, Figures.Arm> arms = run.arms(p);
      if (!p.mode().equals("paced") && arms != null && arms.containsKey("C")) {
        cRan = true;
        lines.add(line(run, previous, p, "(C − A)/(B − A) at p50 ≥ 10", Targets::addedLatency));
        lines.add(line(run, previous, p, "throughput B/C (plain reading)", Targets::plainBoverC));
      }
    }
    if (!cRan) {
      lines.add(new Line("(C − A)/(B − A) at p50 ≥ 10", "—", armC, NOT_MEASURED, NONE));
    }
    for (Figures.Place p : places) {
      if (p.mode().equals("paced")) {
        lines.add(line(run, previous, p, "per-event lateness B − A at p99 ≤ 1 ms",
            Targets::lateness));
      }
    }
    for (Figures.Place p : places) {
      if (!p.mode().equals("paced") && p.callers() == 16) {
        lines.add(line(run, previous, p, "p99/p50 of B vs A", Targets::tail));
      }
    }
    return lines;
  }

  /** The section as Markdown, starting with its heading; a previous column with a previous run. */
  static String markdown(Figures run, @Nullable Figures previous, String armC) {
    StringBuilder md = new StringBuilder("\n## Targets and summary\n\n")
        .append("Each figure is the median over rounds of the per-round ratio or difference of B "
            + "against A in the same round, with its min–max (…) spread; the verdict uses the "
            + "median. \"B/C ≥ 10\" is read as: the latency the Portkey proxy (C) adds over the "
            + "raw client at p50 is at least ten times what the gateway (B) adds, (C − A)/(B − A)"
            + " ≥ 10, from the medians over rounds of the per-round p50 differences; the plain "
            + "throughput ratio B/C is reported beside it. The paced check's lateness is defined "
            + "in its section below.");
    if (previous != null) {
      md.append(" The previous column is the same figure computed from the rounds of ")
          .append(previous.label()).append(" (– where that run lacks it).");
    }
    md.append("\n\n| target | where | measured |")
        .append(previous == null ? "" : " previous |")
        .append(" verdict |\n| --- | --- | --- |")
        .append(previous == null ? "" : " --- |")
        .append(" --- |\n");
    for (Line l : lines(run, previous, armC)) {
      md.append("| ").append(l.target()).append(" | ").append(l.where()).append(" | ")
          .append(cell(l.measured())).append(" | ");
      if (previous != null) {
        md.append(cell(l.previous())).append(" | ");
      }
      md.append(l.verdict()).append(" |\n");
    }
    return md.toString();
  }

  /** The section as JSON-ready maps; each with {@code previous} if a previous run is given. */
  static List<Object> json(Figures run, @Nullable Figures previous, String armC) {
    List<Object> out = new ArrayList<>();
    for (Line l : lines(run, previous, armC)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target", l.target());
      m.put("where", l.where());
      m.put("measured", l.measured());
      if (previous != null) {
        m.put("previous", l.previous());
      }
      m.put("verdict", l.verdict());
      out.add(m);
    }
    return out;
  }

  /**
   * One sentence comparing B with C in one configuration, or null without C: throughput B/C and
   * the p50 latency each adds over A.
   */
  static @Nullable String bVersusC(Config c) {
    if (!c.rounds().containsKey("C")) {
      return null;
    }
    Map<String, Figures.Arm> arms =
        Figures.of(List.of(c)).arms(new Figures.Place(c.mode(), c.callers()));
    String refused = arms == null ? "no rounds" : refusal(arms, "A", "B", "C");
    if (arms == null || refused != null) {
      return "**B vs C:** not reported: " + refused;
    }
    Spread t = against(arms, "B", "C", Figures.REQUESTS_PER_SECOND, true);
    Spread addedB = against(arms, "B", "A", Figures.P50, false);
    Spread addedC = against(arms, "C", "A", Figures.P50, false);
    if (t == null || addedB == null || addedC == null) {
      return "**B vs C:** not reported: the rounds lack throughput or p50";
    }
    return "**B vs C:** throughput B/C " + ratio(t) + "; p50 latency added over A: C "
        + Report.signed(addedC.median()) + " µs, B " + Report.signed(addedB.median())
        + " µs, (C − A)/(B − A) " + factor(addedC.median(), addedB.median()) + ". C's CPU "
        + "µs/req is this JVM's only; the proxy's own is in its column.";
  }

  /** Per-round differences of lateness percentiles, {@code x} minus {@code a}. */
  static Spread difference(List<Lateness.Percentiles> x, List<Lateness.Percentiles> a,
      boolean p99) {
    double[] v = new double[x.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = p99 ? x.get(i).p99Micros() - a.get(i).p99Micros()
          : x.get(i).p50Micros() - a.get(i).p50Micros();
    }
    return Spread.of(v);
  }

  /** Whether the place is one of the loaded ones: unary or stream at 16 or 64 callers. */
  private static boolean loaded(Figures.Place p) {
    return !p.mode().equals("paced") && (p.callers() == 16 || p.callers() == 64);
  }

  private static Line line(Figures run, @Nullable Figures previous, Figures.Place p,
      String target, Rule rule) {
    Map<String, Figures.Arm> arms = run.arms(p);
    Outcome now = arms == null ? Outcome.lacking("no rounds") : rule.at(arms);
    String before = NONE;
    Map<String, Figures.Arm> old = previous == null ? null : previous.arms(p);
    if (old != null) {
      Outcome then = rule.at(old);
      before = then.lacking() ? NONE : then.measured();
    }
    return new Line(target, where(p), now.measured(), now.verdict(), before);
  }

  /**
   * The gateway arms the speed targets are read for: B (the full chain), and B1 (B without the
   * input and output policies) when the run has it.
   */
  private static List<String> gatewayArms(Figures run) {
    for (Figures.Place p : run.places()) {
      Map<String, Figures.Arm> arms = run.arms(p);
      if (arms != null && arms.containsKey("B1")) {
        return List.of("B", "B1");
      }
    }
    return List.of("B");
  }

  /** arm/A of a figure, met at or above {@code limit} if {@code atLeast}, else at or below. */
  private static Outcome ratioTarget(Map<String, Figures.Arm> arms, String arm, String key,
      double limit, boolean atLeast) {
    return compared(arms, arm, key, true, Targets::ratio,
        s -> atLeast ? s.median() >= limit : s.median() <= limit);
  }

  /** arm − A of a figure, met at or below {@code limit}. */
  private static Outcome differenceTarget(Map<String, Figures.Arm> arms, String arm, String key,
      double limit, String unit) {
    return compared(arms, arm, key, false, s -> diff(s) + unit, s -> s.median() <= limit);
  }

  private static Outcome compared(Map<String, Figures.Arm> arms, String arm, String key,
      boolean ratio, Function<Spread, String> shown, Predicate<Spread> met) {
    Outcome refused = refused(arms, "A", arm);
    if (refused != null) {
      return refused;
    }
    Spread s = against(arms, arm, "A", key, ratio);
    if (s == null) {
      return Outcome.lacking("no " + key + " per round");
    }
    return Outcome.of(shown.apply(s), met.test(s));
  }

  private static Outcome addedLatency(Map<String, Figures.Arm> arms) {
    Outcome refused = refused(arms, "A", "B", "C");
    if (refused != null) {
      return refused;
    }
    Spread b = against(arms, "B", "A", Figures.P50, false);
    Spread c = against(arms, "C", "A", Figures.P50, false);
    if (b == null || c == null) {
      return Outcome.lacking("no p50 per round");
    }
    double addedB = b.median();
    double addedC = c.median();
    boolean met = addedC > 0 && (addedB <= 0 || addedC / addedB >= PROXY_FACTOR);
    return Outcome.of("C − A " + Report.signed(addedC) + " µs, B − A " + Report.signed(addedB)
        + " µs: " + factor(addedC, addedB), met);
  }

  private static Outcome plainBoverC(Map<String, Figures.Arm> arms) {
    Outcome refused = refused(arms, "B", "C");
    if (refused != null) {
      return refused;
    }
    Spread s = against(arms, "B", "C", Figures.REQUESTS_PER_SECOND, true);
    return s == null ? Outcome.lacking("no throughput per round")
        : new Outcome(ratio(s), REPORT_ONLY, false);
  }

  private static Outcome lateness(Map<String, Figures.Arm> arms) {
    Outcome refused = refused(arms, "A", "B");
    if (refused != null) {
      return refused;
    }
    for (String arm : List.of("A", "B")) {
      double[] events = arms.get(arm).values(Figures.EVENTS);
      if (events == null) {
        return Outcome.lacking("no lateness per round");
      }
      for (double e : events) {
        if (e == 0) {
          return new Outcome("a round of arm " + arm + " has no stream matched to the "
              + "upstream's flush times", NOT_MEASURED, false);
        }
      }
    }
    Spread p50 = against(arms, "B", "A", Figures.LATENESS_P50, false);
    Spread p99 = against(arms, "B", "A", Figures.LATENESS_P99, false);
    if (p50 == null || p99 == null) {
      return Outcome.lacking("no lateness per round");
    }
    return Outcome.of("p99 " + diff(p99) + " µs; p50 " + diff(p50) + " µs",
        p99.median() <= LATENESS_MICROS);
  }

  private static Outcome tail(Map<String, Figures.Arm> arms) {
    String verdict = REPORT_ONLY + ": on 2 cores this measures the OS scheduler";
    Outcome refused = refused(arms, "A", "B");
    if (refused != null) {
      return new Outcome(refused.measured(), verdict, refused.lacking());
    }
    Spread b = tailRatio(arms.get("B"));
    Spread a = tailRatio(arms.get("A"));
    if (b == null || a == null) {
      return new Outcome("no p50 and p99 per round", verdict, true);
    }
    return new Outcome("B " + ratio(b) + ", A " + ratio(a), verdict, false);
  }

  /** Per-round p99/p50 of latency, median (min–max); null without them. */
  private static @Nullable Spread tailRatio(Figures.Arm arm) {
    double[] p50 = arm.values(Figures.P50);
    double[] p99 = arm.values(Figures.P99);
    if (p50 == null || p99 == null || p50.length == 0) {
      return null;
    }
    double[] v = new double[p50.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = p99[i] / p50[i];
    }
    return Spread.of(v);
  }

  /**
   * Per-round ratios (or differences) of a figure of {@code arm} against {@code base}, paired by
   * round; null if either lacks it.
   */
  private static @Nullable Spread against(Map<String, Figures.Arm> arms, String arm,
      String base, String key, boolean ratio) {
    double[] x = arms.get(arm).values(key);
    double[] b = arms.get(base).values(key);
    int n = x == null || b == null ? 0 : Math.min(x.length, b.length);
    if (n == 0) {
      return null;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = ratio ? x[i] / b[i] : x[i] - b[i];
    }
    return Spread.of(v);
  }

  /** Why a target over {@code names} is not measured, or null if it is. */
  private static @Nullable Outcome refused(Map<String, Figures.Arm> arms, String... names) {
    for (String name : names) {
      if (!arms.containsKey(name)) {
        return Outcome.lacking("no arm " + name);
      }
    }
    String refused = refusal(arms, names);
    return refused == null ? null : new Outcome(refused, NOT_MEASURED, false);
  }

  private static @Nullable String refusal(Map<String, Figures.Arm> arms, String... names) {
    for (String name : names) {
      Figures.Arm arm = arms.get(name);
      if (arm == null) {
        return "no arm " + name;
      }
      if (arm.errors() > 0) {
        return "arm " + name + " had " + arm.errors() + " failed calls";
      }
    }
    return null;
  }

  private static String where(Figures.Place p) {
    String mode = switch (p.mode()) {
      case "chat" -> "unary";
      case "paced" -> "paced stream";
      default -> p.mode();
    };
    return mode + ", " + p.callers() + (p.callers() == 1 ? " caller" : " callers");
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String micros(double v) {
    return String.format(Locale.ROOT, "+%.0f µs", v);
  }

  private static String ratio(Spread s) {
    return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", s.median(), s.min(), s.max());
  }

  private static String diff(Spread s) {
    return Report.signed(s.median()) + " (" + Report.signed(s.min()) + "…"
        + Report.signed(s.max()) + ")";
  }

  private static String factor(double addedC, double addedB) {
    if (addedB <= 0) {
      return addedC > 0 ? "unbounded (B adds nothing at p50)" : "undefined";
    }
    return String.format(Locale.ROOT, "%.1f×", addedC / addedB);
  }
}
