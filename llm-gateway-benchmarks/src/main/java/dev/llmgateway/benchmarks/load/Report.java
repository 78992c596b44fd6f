package dev.llmgateway.benchmarks.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LoadRunner}'s results as Markdown and JSON: per mode and number of callers, each
 * arm's median over rounds, and B0's and B's ratios and differences against A.
 */
final class Report {
  /** Spread beyond this fraction of the median (either side) makes a ratio not meaningful. */
  static final double MAX_SPREAD = 0.20;

  /** Upstream CPU at or above this share of the cores it may use flags it as the bottleneck. */
  static final double BOTTLENECK_SHARE = 0.80;

  private final String date;
  private final String settings;
  private final LoadRunner.Pinning pinning;
  private final Duration total;
  private final List<Config> configs;

  /** The rounds of one mode and number of callers, by arm name, A first. */
  record Config(String mode, int callers, Map<String, List<Round.Result>> rounds) {}

  /** A metric of a round; {@code ratio} says whether B/A ratios of it are reported. */
  private record Metric(String key, String label, boolean ratio, boolean diff,
      ToDoubleFunction<Round.Result> value) {}

  /** Median and min–max over rounds. */
  record Spread(double median, double min, double max) {
    static Spread of(double[] values) {
      double[] v = values.clone();
      Arrays.sort(v);
      int n = v.length;
      double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      return new Spread(median, v[0], v[n - 1]);
    }

    /** A ratio is meaningful if its spread stays on one side of 1 and within ±20 %. */
    boolean meaningfulRatio() {
      boolean crossesOne = min <= 1.0 && max >= 1.0;
      boolean wide = max > median * (1 + MAX_SPREAD) || min < median * (1 - MAX_SPREAD);
      return !crossesOne && !wide;
    }
  }

  Report(String date, String settings, LoadRunner.Pinning pinning, Duration total,
      List<Config> configs) {
    this.date = date;
    this.settings = settings;
    this.pinning = pinning;
    this.total = total;
    this.configs = configs;
  }

  private static List<Metric> metrics(boolean stream) {
    List<Metric> m = new ArrayList<>(List.of(
        new Metric("requestsPerSecond", "req/s", true, false, Round.Result::requestsPerSecond),
        new Metric("p50Micros", "p50 µs", true, true, r -> Round.Result.micros(r.latency(), 50)),
        new Metric("p99Micros", "p99 µs", true, true, r -> Round.Result.micros(r.latency(), 99)),
        new Metric("cpuMicrosPerRequest", "CPU µs/req", true, true,
            Round.Result::cpuMicrosPerRequest),
        new Metric("bytesPerRequest", "B/req", true, true, Round.Result::bytesPerRequest)));
    if (stream) {
      m.add(new Metric("firstEventP50Micros", "first event p50 µs", true, true,
          r -> Round.Result.micros(r.firstEvent(), 50)));
      m.add(new Metric("eventGapP50Micros", "event gap p50 µs", false, false,
          r -> Round.Result.micros(r.eventGap(), 50)));
    }
    m.add(new Metric("jvmCores", "JVM cores", false, false, Round.Result::cores));
    m.add(new Metric("upstreamCores", "upstream cores", false, false,
        Round.Result::upstreamCores));
    return m;
  }

  private static Spread spread(List<Round.Result> rounds, ToDoubleFunction<Round.Result> f) {
    return Spread.of(rounds.stream().mapToDouble(f).toArray());
  }

  /** Per-round ratios (or differences) of {@code arm} against A, rounds paired by index. */
  private static Spread against(List<Round.Result> arm, List<Round.Result> a,
      ToDoubleFunction<Round.Result> f, boolean ratio) {
    double[] v = new double[arm.size()];
    for (int i = 0; i < v.length; i++) {
      double x = f.applyAsDouble(arm.get(i));
      double base = f.applyAsDouble(a.get(i));
      v[i] = ratio ? x / base : x - base;
    }
    return Spread.of(v);
  }

  /** Why {@code arm}'s ratios are not reported, or null. */
  private static @Nullable String refusal(String name, List<Round.Result> arm,
      List<Round.Result> a) {
    for (List<Round.Result> rounds : List.of(a, arm)) {
      long errors = rounds.stream().mapToLong(Round.Result::errors).sum();
      if (errors > 0) {
        String first = rounds.stream().map(Round.Result::firstError)
            .filter(e -> e != null).findFirst().orElse("?");
        return "arm " + rounds.get(0).arm() + " had " + errors + " failed calls (first: "
            + first + "); no ratios for " + name;
      }
    }
    return null;
  }

  private double upstreamShare(List<Round.Result> rounds) {
    return spread(rounds, Round.Result::upstreamCores).median() / pinning.upstreamCores();
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Load: the gateway against raw OkHttp + Jackson over a socket (`LoadRunner`)\n\n")
        .append("- **Date:** ").append(date).append('\n')
        .append("- **Machine:** ").append(pinning.machineCpus())
        .append(" CPUs (`nproc` before pinning), Java ").append(System.getProperty("java.version")).append(" (")
        .append(System.getProperty("java.vm.name")).append(")\n")
        .append("- **Pinning:** ").append(pinning.description()).append('\n')
        .append("- **Settings:** ").append(settings).append('\n')
        .append("- **Total run time:** ").append(total.toSeconds()).append(" s\n")
        .append("- **Command:** `llm-gateway-benchmarks/run-load.sh` (see `LoadRunner`'s "
            + "javadoc); raw figures per round in [`load.json`](load.json)\n\n")
        .append("Arms: **A** raw OkHttp + Jackson records; **B0** a gateway with an empty chain "
            + "over `OpenAiPresets.openAi()`; **B** the gateway with an authenticator (API-key "
            + "caller), an alias with a fallback route, an around-attempt interceptor adding "
            + "`traceparent`, a listener, a usage sink and attempt/total timeouts. All use "
            + "`HttpClients.defaults()`. The upstream is `Upstream` in a child process.\n\n")
        .append("Figures are medians over rounds. CPU is this JVM's process CPU time (GC and JIT "
            + "included); B/req sums the allocated bytes of all live JVM threads (threads that "
            + "end during a round are missed). Ratios are per round against A in the same "
            + "round, shown as median (min–max); **~** marks a ratio that is not meaningful "
            + "(its spread crosses 1.0 or exceeds ±20 %). Δ is the difference to A.\n");
    for (Config c : configs) {
      boolean stream = c.mode().equals("stream");
      List<Metric> metrics = metrics(stream);
      md.append("\n## ").append(stream ? "Stream" : "Unary chat").append(", ")
          .append(c.callers()).append(c.callers() == 1 ? " caller" : " callers").append("\n\n");
      md.append("| arm |");
      for (Metric m : metrics) {
        md.append(' ').append(m.label()).append(" |");
      }
      md.append(" errors |\n| --- |");
      for (int i = 0; i <= metrics.size(); i++) {
        md.append(" ---: |");
      }
      md.append('\n');
      for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
        md.append("| ").append(e.getKey()).append(" |");
        for (Metric m : metrics) {
          md.append(' ').append(number(spread(e.getValue(), m.value()).median())).append(" |");
        }
        md.append(' ').append(e.getValue().stream().mapToLong(Round.Result::errors).sum())
            .append(" |\n");
      }
      List<Round.Result> a = c.rounds().get("A");
      md.append("\n| vs A |");
      for (Metric m : metrics) {
        if (m.ratio()) {
          md.append(' ').append(m.label()).append(" × |");
        }
      }
      for (Metric m : metrics) {
        if (m.diff()) {
          md.append(' ').append(m.label()).append(" Δ |");
        }
      }
      md.append("\n| --- |");
      for (Metric m : metrics) {
        md.append(m.ratio() ? " ---: |" : "");
      }
      for (Metric m : metrics) {
        md.append(m.diff() ? " ---: |" : "");
      }
      md.append('\n');
      List<String> refusals = new ArrayList<>();
      for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
        if (e.getKey().equals("A")) {
          continue;
        }
        String refused = refusal(e.getKey(), e.getValue(), a);
        if (refused != null) {
          refusals.add(refused);
          continue;
        }
        md.append("| ").append(e.getKey()).append(" |");
        for (Metric m : metrics) {
          if (m.ratio()) {
            Spread s = against(e.getValue(), a, m.value(), true);
            md.append(' ').append(String.format(Locale.ROOT, "%.2f (%.2f–%.2f)%s", s.median(),
                s.min(), s.max(), s.meaningfulRatio() ? "" : " ~")).append(" |");
          }
        }
        for (Metric m : metrics) {
          if (m.diff()) {
            Spread s = against(e.getValue(), a, m.value(), false);
            md.append(' ').append(signed(s.median())).append(" (").append(signed(s.min()))
                .append("…").append(signed(s.max())).append(") |");
          }
        }
        md.append('\n');
      }
      for (String r : refusals) {
        md.append("\n**Not reported:** ").append(r).append('\n');
      }
      List<String> saturated = new ArrayList<>();
      for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
        double share = upstreamShare(e.getValue());
        if (share >= BOTTLENECK_SHARE) {
          saturated.add(String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), share * 100));
        }
      }
      if (!saturated.isEmpty()) {
        md.append("\n**Upstream bottleneck:** the upstream used ")
            .append(String.join(", ", saturated))
            .append(" of the CPU it may use; req/s and latency there measure the upstream as"
                + " much as the client (CPU and bytes per request still compare the clients).\n");
      }
    }
    return md.toString();
  }

  String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", date);
    root.put("cpus", pinning.machineCpus());
    root.put("javaVersion", System.getProperty("java.version"));
    root.put("vm", System.getProperty("java.vm.name"));
    root.put("pinning", pinning.description());
    root.put("pinned", pinning.pinned());
    root.put("settings", settings);
    root.put("totalSeconds", total.toSeconds());
    List<Object> out = new ArrayList<>();
    for (Config c : configs) {
      List<Metric> metrics = metrics(c.mode().equals("stream"));
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("mode", c.mode());
      config.put("callers", c.callers());
      List<Round.Result> a = c.rounds().get("A");
      List<Object> arms = new ArrayList<>();
      for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
        Map<String, Object> arm = new LinkedHashMap<>();
        arm.put("arm", e.getKey());
        arm.put("errors", e.getValue().stream().mapToLong(Round.Result::errors).sum());
        Map<String, Object> median = new LinkedHashMap<>();
        for (Metric m : metrics) {
          median.put(m.key(), spread(e.getValue(), m.value()));
        }
        arm.put("overRounds", median);
        arm.put("upstreamBottleneck", upstreamShare(e.getValue()) >= BOTTLENECK_SHARE);
        if (!e.getKey().equals("A")) {
          String refused = refusal(e.getKey(), e.getValue(), a);
          if (refused != null) {
            arm.put("vsA", refused);
          } else {
            Map<String, Object> ratios = new LinkedHashMap<>();
            Map<String, Object> diffs = new LinkedHashMap<>();
            for (Metric m : metrics) {
              if (m.ratio()) {
                Spread s = against(e.getValue(), a, m.value(), true);
                ratios.put(m.key(), Map.of("median", s.median(), "min", s.min(), "max",
                    s.max(), "meaningful", s.meaningfulRatio()));
              }
              if (m.diff()) {
                diffs.put(m.key(), against(e.getValue(), a, m.value(), false));
              }
            }
            arm.put("ratioToA", ratios);
            arm.put("differenceToA", diffs);
          }
        }
        List<Object> rounds = new ArrayList<>();
        for (Round.Result r : e.getValue()) {
          Map<String, Object> round = new LinkedHashMap<>();
          round.put("requests", r.requests());
          round.put("errors", r.errors());
          round.put("seconds", r.seconds());
          round.put("cpuNanos", r.cpuNanos());
          round.put("allocatedBytes", r.allocatedBytes());
          round.put("upstreamCpuNanos", r.upstreamCpuNanos());
          for (Metric m : metrics) {
            round.put(m.key(), m.value().applyAsDouble(r));
          }
          round.put("p90Micros", Round.Result.micros(r.latency(), 90));
          round.put("maxMicros", r.latency().getMaxValue() / 1e3);
          if (r.firstError() != null) {
            round.put("firstError", r.firstError());
          }
          rounds.add(round);
        }
        arm.put("rounds", rounds);
        arms.add(arm);
      }
      config.put("arms", arms);
      out.add(config);
    }
    root.put("configs", out);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String number(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String signed(double v) {
    return (v >= 0 ? "+" : "") + number(v);
  }
}
