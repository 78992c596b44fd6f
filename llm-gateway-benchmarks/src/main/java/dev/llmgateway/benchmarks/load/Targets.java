package dev.llmgateway.benchmarks.load;

import dev.llmgateway.benchmarks.load.Report.Config;
import dev.llmgateway.benchmarks.load.Report.Spread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The targets and summary section of the {@link LoadRunner}'s report, one line per target and
 * place (mode and callers) it applies to:
 *
 * <ul>
 *   <li>throughput B/A at 16 and 64 callers ≥ {@value #THROUGHPUT}, on the median over rounds of
 *       the per-round ratio;
 *   <li>"B/C ≥ 10 where C ran", read as: the p50 latency Portkey adds over the raw client is at
 *       least {@value #PROXY_FACTOR} times what the gateway adds, (C − A)/(B − A) ≥ 10, with C − A
 *       and B − A the medians over rounds of the per-round p50 differences (met outright when B −
 *       A ≤ 0 and C − A > 0); the plain throughput B/C is reported beside it;
 *   <li>with a paced upstream each event reaches the caller within 1 ms of arriving: B − A of the
 *       per-event lateness ({@link Lateness}; A's stands for arriving) at p99 ≤ {@value
 *       #LATENESS_MICROS} µs, on the median over rounds of the per-round difference;
 *   <li>report only: the tail ratio p99/p50 of B and of A at 16 callers, unary and stream.
 * </ul>
 *
 * A target whose arms had failed calls is "not measured".
 */
final class Targets {
  static final double THROUGHPUT = 0.85;
  static final double PROXY_FACTOR = 10;
  static final double LATENESS_MICROS = 1_000;
  static final String REPORT_ONLY = "report only";

  private Targets() {}

  /** One target at one place: what was measured and whether it was met. */
  record Line(String target, String where, String measured, String verdict) {}

  /** The lines for a run's configurations; {@code armC} is the report's line on arm C. */
  static List<Line> lines(List<Config> configs, String armC) {
    List<Line> lines = new ArrayList<>();
    for (Config c : configs) {
      if (!c.mode().equals("paced") && (c.callers() == 16 || c.callers() == 64)) {
        lines.add(throughput(c));
      }
    }
    boolean cRan = false;
    for (Config c : configs) {
      if (!c.mode().equals("paced") && c.rounds().containsKey("C")) {
        cRan = true;
        lines.add(addedLatency(c));
        lines.add(plainBversusC(c));
      }
    }
    if (!cRan) {
      lines.add(new Line("(C − A)/(B − A) at p50 ≥ 10", "—", armC, "not measured"));
    }
    for (Config c : configs) {
      if (c.mode().equals("paced")) {
        lines.add(lateness(c));
      }
    }
    for (Config c : configs) {
      if (!c.mode().equals("paced") && c.callers() == 16) {
        lines.add(tail(c));
      }
    }
    return lines;
  }

  /** The section as Markdown, starting with its heading. */
  static String markdown(List<Config> configs, String armC) {
    StringBuilder md = new StringBuilder("\n## Targets and summary\n\n")
        .append("\"B/C ≥ 10\" is read as: the latency the Portkey proxy (C) adds over the raw "
            + "client at p50 is at least ten times what the gateway (B) adds, (C − A)/(B − A) ≥ "
            + "10, from the medians over rounds of the per-round p50 differences; the plain "
            + "throughput ratio B/C is reported beside it. The paced check's lateness is defined "
            + "in its section below. Throughput verdicts use the median; its min–max is shown.\n\n")
        .append("| target | where | measured | verdict |\n| --- | --- | --- | --- |\n");
    for (Line l : lines(configs, armC)) {
      md.append("| ").append(l.target()).append(" | ").append(l.where()).append(" | ")
          .append(l.measured().replace("|", "\\|")).append(" | ").append(l.verdict())
          .append(" |\n");
    }
    return md.toString();
  }

  /** The section as JSON-ready maps. */
  static List<Object> json(List<Config> configs, String armC) {
    List<Object> out = new ArrayList<>();
    for (Line l : lines(configs, armC)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target", l.target());
      m.put("where", l.where());
      m.put("measured", l.measured());
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
    String refused = refusal(c, "B", "C");
    if (refused != null) {
      return "**B vs C:** not reported: " + refused;
    }
    Spread t = throughputBoverC(c);
    double addedB = addedP50(c, "B").median();
    double addedC = addedP50(c, "C").median();
    return "**B vs C:** throughput B/C " + ratio(t) + "; p50 latency added over A: C "
        + Report.signed(addedC) + " µs, B " + Report.signed(addedB) + " µs, (C − A)/(B − A) "
        + factor(addedC, addedB) + ". C's CPU µs/req is this JVM's only; the proxy's own is in"
        + " its column.";
  }

  private static Line throughput(Config c) {
    String target = "throughput B/A ≥ " + THROUGHPUT;
    String refused = refusal(c, "A", "B");
    if (refused != null) {
      return new Line(target, where(c), refused, "not measured");
    }
    Spread s = Report.against(c.rounds().get("B"), c.rounds().get("A"),
        Round.Result::requestsPerSecond, true);
    return new Line(target, where(c), ratio(s), s.median() >= THROUGHPUT ? "met" : "missed");
  }

  private static Line addedLatency(Config c) {
    String target = "(C − A)/(B − A) at p50 ≥ 10";
    String refused = refusal(c, "A", "B", "C");
    if (refused != null) {
      return new Line(target, where(c), refused, "not measured");
    }
    double addedB = addedP50(c, "B").median();
    double addedC = addedP50(c, "C").median();
    boolean met = addedC > 0 && (addedB <= 0 || addedC / addedB >= PROXY_FACTOR);
    return new Line(target, where(c), "C − A " + Report.signed(addedC) + " µs, B − A "
        + Report.signed(addedB) + " µs: " + factor(addedC, addedB), met ? "met" : "missed");
  }

  private static Line plainBversusC(Config c) {
    String target = "throughput B/C (plain reading)";
    String refused = refusal(c, "B", "C");
    if (refused != null) {
      return new Line(target, where(c), refused, "not measured");
    }
    return new Line(target, where(c), ratio(throughputBoverC(c)), REPORT_ONLY);
  }

  private static Line lateness(Config c) {
    String target = "per-event lateness B − A at p99 ≤ 1 ms";
    String refused = refusal(c, "A", "B");
    if (refused != null) {
      return new Line(target, where(c), refused, "not measured");
    }
    Map<String, List<Lateness.Percentiles>> late = Lateness.of(c.rounds());
    for (String arm : List.of("A", "B")) {
      if (late.get(arm).stream().anyMatch(p -> p.events() == 0)) {
        return new Line(target, where(c), "a round of arm " + arm + " has no stream matched to "
            + "the upstream's flush times", "not measured");
      }
    }
    Spread p50 = difference(late.get("B"), late.get("A"), false);
    Spread p99 = difference(late.get("B"), late.get("A"), true);
    return new Line(target, where(c), "p99 " + diff(p99) + " µs; p50 " + diff(p50) + " µs",
        p99.median() <= LATENESS_MICROS ? "met" : "missed");
  }

  private static Line tail(Config c) {
    String target = "p99/p50 of B vs A";
    String verdict = REPORT_ONLY + ": on 2 cores this measures the OS scheduler";
    String refused = refusal(c, "A", "B");
    if (refused != null) {
      return new Line(target, where(c), refused, verdict);
    }
    return new Line(target, where(c), "B " + ratio(tailRatio(c.rounds().get("B"))) + ", A "
        + ratio(tailRatio(c.rounds().get("A"))), verdict);
  }

  /** Per-round p99/p50 of latency, median (min–max). */
  static Spread tailRatio(List<Round.Result> rounds) {
    return Spread.of(rounds.stream().mapToDouble(r -> Round.Result.micros(r.latency(), 99)
        / Round.Result.micros(r.latency(), 50)).toArray());
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

  private static Spread throughputBoverC(Config c) {
    return Report.against(c.rounds().get("B"), c.rounds().get("C"),
        Round.Result::requestsPerSecond, true);
  }

  /** Per-round p50 latency of {@code arm} minus A's, in microseconds. */
  private static Spread addedP50(Config c, String arm) {
    return Report.against(c.rounds().get(arm), c.rounds().get("A"),
        r -> Round.Result.micros(r.latency(), 50), false);
  }

  private static @Nullable String refusal(Config c, String... arms) {
    for (String arm : arms) {
      List<Round.Result> rounds = c.rounds().get(arm);
      if (rounds == null) {
        return "no arm " + arm;
      }
      long errors = rounds.stream().mapToLong(Round.Result::errors).sum();
      if (errors > 0) {
        return "arm " + arm + " had " + errors + " failed calls";
      }
    }
    return null;
  }

  private static String where(Config c) {
    String mode = switch (c.mode()) {
      case "chat" -> "unary";
      case "paced" -> "paced stream";
      default -> c.mode();
    };
    return mode + ", " + c.callers() + (c.callers() == 1 ? " caller" : " callers");
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
