package dev.llmgateway.benchmarks.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmgateway.benchmarks.FullChain;
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
 * The {@link LoadRunner}'s results as Markdown and JSON: the {@link Targets} section (with a
 * previous run's figures beside this run's, given one), then per mode and number of callers, each
 * arm's median over rounds, and B0's, B's and C's ratios and differences against A; for the paced
 * mode, each arm's per-event {@link Lateness}. Not thread-safe: built and read by one thread.
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
  private final String armC;
  private final int pacedMs;
  private final @Nullable Figures previous;
  private final @Nullable String lockProfile;

  /** The rounds of one mode (chat, stream, paced) and number of callers, by arm, A first. */
  record Config(String mode, int callers, Map<String, List<Round.Result>> rounds) {
    boolean paced() {
      return mode.equals("paced");
    }

    boolean hasProxy() {
      return rounds.values().stream().anyMatch(l -> l.stream().anyMatch(Round.Result::hasProxy));
    }
  }

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
      List<Config> configs, String armC, int pacedMs) {
    this(date, settings, pinning, total, configs, armC, pacedMs, null, null);
  }

  /**
   * A report whose targets table shows {@code previous}'s figures beside this run's, and whose
   * header links the lock profile with {@code lockProfile} (Markdown), when given.
   */
  Report(String date, String settings, LoadRunner.Pinning pinning, Duration total,
      List<Config> configs, String armC, int pacedMs, @Nullable Figures previous,
      @Nullable String lockProfile) {
    this.date = date;
    this.settings = settings;
    this.pinning = pinning;
    this.total = total;
    this.configs = configs;
    this.armC = armC;
    this.pacedMs = pacedMs;
    this.previous = previous;
    this.lockProfile = lockProfile;
  }

  private static List<Metric> metrics(boolean stream, boolean proxy) {
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
    if (proxy) {
      m.add(new Metric("proxyCpuMicrosPerRequest", "proxy CPU µs/req", false, false,
          Round.Result::proxyCpuMicrosPerRequest));
      m.add(new Metric("proxyCores", "proxy cores", false, false, Round.Result::proxyCores));
    }
    return m;
  }

  private static List<Metric> metrics(Config c) {
    return c.paced() ? pacedMetrics() : metrics(c.mode().equals("stream"), c.hasProxy());
  }

  /** The paced mode's figures besides lateness (its CPU per stream is mostly idle time). */
  private static List<Metric> pacedMetrics() {
    return List.of(
        new Metric("requestsPerSecond", "streams/s", false, false,
            Round.Result::requestsPerSecond),
        new Metric("firstEventP50Micros", "first event p50 µs", false, false,
            r -> Round.Result.micros(r.firstEvent(), 50)));
  }

  private static Spread spread(List<Round.Result> rounds, ToDoubleFunction<Round.Result> f) {
    return Spread.of(rounds.stream().mapToDouble(f).toArray());
  }

  /** Per-round ratios (or differences) of {@code arm} against {@code base}, paired by index. */
  static Spread against(List<Round.Result> arm, List<Round.Result> base,
      ToDoubleFunction<Round.Result> f, boolean ratio) {
    double[] v = new double[arm.size()];
    for (int i = 0; i < v.length; i++) {
      double x = f.applyAsDouble(arm.get(i));
      double b = f.applyAsDouble(base.get(i));
      v[i] = ratio ? x / b : x - b;
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

  /**
   * The share of its CPUs the upstream used, with the proxy's CPU added for an arm through a
   * proxy: pinned, both share one CPU.
   */
  private double upstreamShare(List<Round.Result> rounds) {
    double cores = spread(rounds, Round.Result::upstreamCores).median();
    if (rounds.stream().allMatch(Round.Result::hasProxy)) {
      cores += spread(rounds, Round.Result::proxyCores).median();
    }
    return cores / pinning.upstreamCores();
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Load: the gateway against raw OkHttp + Jackson over a socket (`LoadRunner`)\n\n")
        .append("- **Date:** ").append(date).append('\n')
        .append("- **Machine:** ").append(pinning.machineCpus())
        .append(" CPUs (`nproc` before pinning), Java ")
        .append(System.getProperty("java.version")).append(" (")
        .append(System.getProperty("java.vm.name")).append(")\n")
        .append("- **Pinning:** ").append(pinning.description()).append('\n')
        .append("- ").append(armC).append('\n')
        .append("- **Settings:** ").append(settings).append('\n')
        .append("- **Total run time:** ").append(total.toSeconds()).append(" s\n");
    if (previous != null) {
      md.append("- **Previous run:** ").append(previous.label())
          .append(" (`--previous`): its figures are in the targets table's previous column\n");
    }
    if (lockProfile != null) {
      md.append("- **Lock profile:** ").append(lockProfile).append('\n');
    }
    md.append("- **Command:** `llm-gateway-benchmarks/run-load.sh` (see `LoadRunner`'s "
            + "javadoc); raw figures per round in [`load.json`](load.json)\n\n")
        .append("Arms: **A** raw OkHttp + Jackson records; **B0** a gateway with an empty chain "
            + "over `OpenAiPresets.openAi()`; **B** the gateway with every capability "
            + "(`FullChain`): an authenticator (API-key caller, 10,000 keys), an access policy "
            + "(four rules), rate limits (team RPM, org TPM, key concurrency) and a team's "
            + "monthly budget (reserved and settled every call; none reached), an alias routed "
            + "by three "
            + "rules to a sticky A/B split of two candidate lists that hedge after 10 s, prices "
            + "(cost on every call), a response cache that every call misses, input and output "
            + "policies (the prompt's five PII values replaced by placeholders and restored in "
            + "the answer, the prompt scanned for injection, prompt and answer through a content "
            + "filter), an around-attempt "
            + "interceptor adding `traceparent`, a listener, the OpenTelemetry listener over the "
            + "no-op API, an inline and a JSON Lines usage sink, retries, circuit "
            + "breakers and attempt, first-token, idle and total timeouts (armed, not "
            + "triggered); **B1** B without the input and output policies; every arm cycles "
            + "through the same "
            + String.format(Locale.ROOT, "%,d", FullChain.REQUESTS)
            + " distinct user messages of about 1 KB; "
            + "**C** (when "
            + "it ran) A's client and requests sent through the Portkey gateway "
            + "(`@portkey-ai/gateway`, a Node.js process) with `x-portkey-provider: openai` and "
            + "`x-portkey-custom-host: <upstream>/v1`. All use `HttpClients.defaults()` (C with "
            + "its own pool whose idle connections expire before Node.js closes them). The "
            + "upstream is `Upstream` in a child process.\n\n")
        .append("Figures are medians over rounds. CPU is this JVM's process CPU time (GC and JIT "
            + "included); for C that is only the client's share, and the proxy process's own CPU "
            + "(from `/proc/<pid>/stat`, 10 ms ticks) is in the proxy columns. B/req sums the "
            + "allocated bytes of all live JVM threads (threads that end during a round are "
            + "missed). Ratios are per round against A in the same round, shown as median "
            + "(min–max); **~** marks a ratio that is not meaningful (its spread crosses 1.0 or "
            + "exceeds ±20 %). Δ is the difference to A. Portkey holds the first chunk of every "
            + "stream for 25 ms (its `readStream`), which C's stream figures include.\n");
    md.append(Targets.markdown(Figures.of(configs), previous, armC));
    for (Config c : configs) {
      if (c.paced()) {
        paced(md, c);
      } else {
        config(md, c);
      }
    }
    return md.toString();
  }

  private void config(StringBuilder md, Config c) {
    boolean stream = c.mode().equals("stream");
    List<Metric> metrics = metrics(c);
    md.append("\n## ").append(stream ? "Stream" : "Unary chat").append(", ")
        .append(callers(c.callers())).append("\n\n");
    table(md, c, metrics);
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
          md.append(' ').append(diff(against(e.getValue(), a, m.value(), false))).append(" |");
        }
      }
      md.append('\n');
    }
    for (String r : refusals) {
      md.append("\n**Not reported:** ").append(r).append('\n');
    }
    String bc = Targets.bVersusC(c);
    if (bc != null) {
      md.append('\n').append(bc).append('\n');
    }
    List<String> saturated = new ArrayList<>();
    for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
      double share = upstreamShare(e.getValue());
      if (share >= BOTTLENECK_SHARE) {
        saturated.add(String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), share * 100));
      }
    }
    if (!saturated.isEmpty()) {
      md.append("\n**Upstream bottleneck:** the upstream (with the proxy, for C) used ")
          .append(String.join(", ", saturated))
          .append(" of the CPU it may use; req/s and latency there measure the upstream as"
              + " much as the client (CPU and bytes per request still compare the clients).\n");
    }
  }

  private void paced(StringBuilder md, Config c) {
    md.append("\n## Paced stream (content chunks ").append(pacedMs).append(" ms apart), ")
        .append(callers(c.callers())).append("\n\n")
        .append("Lateness of a content event: when the caller got it minus when the upstream "
            + "had flushed its chunk (`System.nanoTime()` in both processes: one monotonic clock "
            + "on Linux), streams matched by their response id. A's lateness is the floor any "
            + "client pays (loopback, thread wake-up, parse); B − A is what the gateway adds per "
            + "event. p50 and p99 are over all events of a round, then the median over rounds; "
            + "Δ is per round against A, median (min…max).\n\n");
    List<Metric> metrics = metrics(c);
    Map<String, List<Lateness.Percentiles>> late = Lateness.of(c.rounds());
    md.append("| arm |");
    for (Metric m : metrics) {
      md.append(' ').append(m.label()).append(" |");
    }
    md.append(" lateness p50 µs | lateness p99 µs | events/round | unmatched streams | errors |"
        + "\n| --- |");
    for (int i = 0; i < metrics.size() + 5; i++) {
      md.append(" ---: |");
    }
    md.append('\n');
    for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
      md.append("| ").append(e.getKey()).append(" |");
      for (Metric m : metrics) {
        md.append(' ').append(number(spread(e.getValue(), m.value()).median())).append(" |");
      }
      List<Lateness.Percentiles> l = late.get(e.getKey());
      md.append(' ').append(number(Spread.of(l.stream()
              .mapToDouble(Lateness.Percentiles::p50Micros).toArray()).median())).append(" | ")
          .append(number(Spread.of(l.stream()
              .mapToDouble(Lateness.Percentiles::p99Micros).toArray()).median())).append(" | ")
          .append(number(Spread.of(l.stream()
              .mapToDouble(Lateness.Percentiles::events).toArray()).median())).append(" | ")
          .append(l.stream().mapToInt(Lateness.Percentiles::unmatched).sum()).append(" | ")
          .append(errors(e.getValue())).append(" |\n");
    }
    md.append("\n| vs A | lateness p50 µs Δ | lateness p99 µs Δ |\n| --- | ---: | ---: |\n");
    List<String> refusals = new ArrayList<>();
    for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
      if (e.getKey().equals("A")) {
        continue;
      }
      String refused = refusal(e.getKey(), e.getValue(), c.rounds().get("A"));
      if (refused != null) {
        refusals.add(refused);
        continue;
      }
      md.append("| ").append(e.getKey()).append(" − A | ")
          .append(diff(Targets.difference(late.get(e.getKey()), late.get("A"), false)))
          .append(" | ")
          .append(diff(Targets.difference(late.get(e.getKey()), late.get("A"), true)))
          .append(" |\n");
    }
    for (String r : refusals) {
      md.append("\n**Not reported:** ").append(r).append('\n');
    }
  }

  private static void table(StringBuilder md, Config c, List<Metric> metrics) {
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
      md.append(' ').append(errors(e.getValue())).append(" |\n");
    }
  }

  String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", date);
    root.put("cpus", pinning.machineCpus());
    root.put("javaVersion", System.getProperty("java.version"));
    root.put("vm", System.getProperty("java.vm.name"));
    root.put("pinning", pinning.description());
    root.put("pinned", pinning.pinned());
    root.put("armC", armC.replace("**", ""));
    root.put("settings", settings);
    root.put("pacedMillis", pacedMs);
    root.put("totalSeconds", total.toSeconds());
    if (previous != null) {
      root.put("previousRun", previous.label().replace("`", ""));
    }
    if (lockProfile != null) {
      root.put("lockProfile", lockProfile.replace("`", ""));
    }
    root.put("targets", Targets.json(Figures.of(configs), previous, armC));
    List<Object> out = new ArrayList<>();
    for (Config c : configs) {
      List<Metric> metrics = metrics(c);
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("mode", c.mode());
      config.put("callers", c.callers());
      List<Round.Result> a = c.rounds().get("A");
      Map<String, List<Lateness.Percentiles>> late = c.paced() ? Lateness.of(c.rounds()) : null;
      List<Object> arms = new ArrayList<>();
      for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
        Map<String, Object> arm = new LinkedHashMap<>();
        arm.put("arm", e.getKey());
        arm.put("errors", errors(e.getValue()));
        Map<String, Object> median = new LinkedHashMap<>();
        for (Metric m : metrics) {
          Spread s = spread(e.getValue(), m.value());
          if (!Double.isNaN(s.median())) {
            median.put(m.key(), s);
          }
        }
        if (late != null) {
          List<Lateness.Percentiles> l = late.get(e.getKey());
          median.put("latenessP50Micros",
              Spread.of(l.stream().mapToDouble(Lateness.Percentiles::p50Micros).toArray()));
          median.put("latenessP99Micros",
              Spread.of(l.stream().mapToDouble(Lateness.Percentiles::p99Micros).toArray()));
        }
        arm.put("overRounds", median);
        arm.put("upstreamBottleneck", upstreamShare(e.getValue()) >= BOTTLENECK_SHARE);
        if (!e.getKey().equals("A")) {
          String refused = refusal(e.getKey(), e.getValue(), a);
          if (refused != null) {
            arm.put("vsA", refused);
          } else if (late != null) {
            arm.put("latenessDifferenceToA", Map.of(
                "p50Micros", Targets.difference(late.get(e.getKey()), late.get("A"), false),
                "p99Micros", Targets.difference(late.get(e.getKey()), late.get("A"), true)));
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
        for (int i = 0; i < e.getValue().size(); i++) {
          Round.Result r = e.getValue().get(i);
          Map<String, Object> round = new LinkedHashMap<>();
          round.put("requests", r.requests());
          round.put("errors", r.errors());
          round.put("seconds", r.seconds());
          round.put("cpuNanos", r.cpuNanos());
          round.put("allocatedBytes", r.allocatedBytes());
          round.put("upstreamCpuNanos", r.upstreamCpuNanos());
          if (r.hasProxy()) {
            round.put("proxyCpuNanos", r.proxyCpuNanos());
          }
          for (Metric m : metrics) {
            double v = m.value().applyAsDouble(r);
            if (!Double.isNaN(v)) {
              round.put(m.key(), v);
            }
          }
          round.put("p90Micros", Round.Result.micros(r.latency(), 90));
          round.put("maxMicros", r.latency().getMaxValue() / 1e3);
          if (late != null) {
            Lateness.Percentiles p = late.get(e.getKey()).get(i);
            round.put("latenessP50Micros", p.p50Micros());
            round.put("latenessP99Micros", p.p99Micros());
            round.put("events", p.events());
            round.put("unmatchedStreams", p.unmatched());
          }
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

  private static long errors(List<Round.Result> rounds) {
    return rounds.stream().mapToLong(Round.Result::errors).sum();
  }

  private static String callers(int n) {
    return n + (n == 1 ? " caller" : " callers");
  }

  private static String diff(Spread s) {
    return signed(s.median()) + " (" + signed(s.min()) + "…" + signed(s.max()) + ")";
  }

  /** A figure for a table: no decimals from 100 on, two below, a dash for none (NaN). */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String signed(double v) {
    return (v >= 0 ? "+" : "") + number(v);
  }
}
