package dev.llmgateway.benchmarks.load;

import dev.llmgateway.benchmarks.load.LoadArms.Arm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The gateway under load over a real socket, against a raw OkHttp + Jackson call: a closed loop
 * of 1, 16 and 64 caller threads, unary and streamed Chat Completions, to an {@link Upstream} mock
 * server in a child process. The arms are described in {@link LoadArms}: {@code A} raw, {@code B0}
 * an empty gateway, {@code B} the gateway with every capability configured, and, when Node.js and
 * npm are there, {@code C}: A's client through the Portkey gateway ({@link PortkeyProcess}).
 *
 * <p>For each mode (chat, stream) and number of callers, each arm is warmed up, then the arms run
 * in interleaved rounds, each round running every arm once for a few seconds in a random order
 * (seeded, so a run can be repeated). Per arm and round it measures ({@link Round}) an
 * HdrHistogram of latency, CPU time of this JVM per request, bytes allocated by all its threads
 * per request, requests per second, the upstream's CPU (and the proxy's, for C), and for streams
 * the time to the first content event and the mean delay between content events. It reports the
 * median over rounds, and the ratios and differences of B0, B and C against A of the same round
 * as the median with the min–max spread; a ratio whose spread crosses 1.0 or reaches beyond ±20 %
 * of its median is marked not meaningful. An arm with any failed call gets no ratios (the report
 * says why). The upstream is flagged as the bottleneck when it used 80 % or more of the CPU it
 * could.
 *
 * <p>Then the paced check: a second upstream sends stream content chunks {@code --paced-ms}
 * apart, and every arm streams from it at 1 and 16 callers, in the same interleaved rounds (half
 * as long, after a warm-up a third as long); each content event's time at the caller is matched
 * with the time the upstream flushed its chunk. {@link Lateness} defines the per-event lateness
 * reported against the target "each event reaches the caller within 1 ms of arriving". The
 * report opens with the targets of issue 25 and a summary ({@link Targets}).
 *
 * <p>Arm C: the runner installs {@code @portkey-ai/gateway} with npm into {@code --proxy-dir}
 * (reused if there), starts it on a free port and checks that a unary and a streamed call go
 * through it to the upstream and parse; if anything of that fails, C is skipped with a one-line
 * reason, printed and written into the report, and the run goes on. {@code --no-proxy} skips C.
 * C's CPU column covers only this JVM; the proxy's own CPU per request is reported beside it.
 *
 * <p>{@code --previous FILE} names the {@code load.json} of an earlier run (read before the run
 * starts): the targets table gets a "previous" column with each target's figure computed the same
 * way from that run's rounds ({@link Figures}), or "–" where that run lacks it.
 *
 * <p>{@code --jfr} records lock waits in the configurations with the most callers (64 by
 * default), unary and stream, with a JFR recording this JVM starts itself ({@link LockRecording}:
 * {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} with stack traces, waits of 1 ms or
 * more); each measured round is marked by a {@link RoundEvent}, so warm-ups are left out and
 * waits are told apart by arm. It writes the raw recording to {@code
 * llm-gateway-benchmarks/target/load-locks.jfr} (not committed) and the summary ({@link
 * LockProfile}) to {@code load-locks.md} beside {@code load.md}: per arm the top 10 contended
 * monitors by class, and parks by parked class and by user (the first frame outside the JDK), and
 * whether a gateway-owned class is among arm B's top five contended monitors. The recording's
 * cost falls on those configurations' figures, which the settings line says.
 *
 * <p>On Linux with {@code taskset} and at least two CPUs, this JVM is pinned to CPU 0 and the
 * upstream, and Portkey with it, to CPU 1; otherwise the report says "not pinned".
 *
 * <p>One command, from anywhere (it builds the module and runs the full run, about 17 minutes on
 * 2 cores, 13 without arm C; {@code --quick} takes about 2 minutes):
 *
 * <pre>
 * llm-gateway-benchmarks/run-load.sh [--quick]
 * </pre>
 *
 * which is, from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -Xms1g -Xmx1g -cp llm-gateway-benchmarks/target/benchmarks.jar \
 *   dev.llmgateway.benchmarks.load.LoadRunner [--quick]
 * </pre>
 *
 * Options: {@code --quick}; {@code --rounds N} (5); {@code --round-seconds S} (6); {@code
 * --warmup-seconds S} (6); {@code --callers 1,16,64}; {@code --modes chat,stream}; {@code
 * --pace-ms M} (0: the upstream sends stream chunks without delay); {@code --paced-ms M} (5; 0
 * skips the paced check); {@code --paced-callers 1,16}; {@code --no-proxy}; {@code --proxy-dir
 * DIR} ({@code llm-gateway-benchmarks/target/portkey}); {@code --seed N}; {@code --previous
 * FILE}; {@code --jfr}; {@code --out DIR} ({@code llm-gateway-benchmarks/results}), where it
 * writes {@code load.md} and {@code load.json}, and {@code load-locks.md} with {@code --jfr}.
 */
public final class LoadRunner {
  /** The lock profile's file name, beside {@code load.md}. */
  static final String LOCKS_MD = "load-locks.md";

  private LoadRunner() {}

  /** Runs the load test; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Figures previous = options.previous == null ? null : Figures.read(options.previous);
    String date = LocalDate.now().toString();
    long started = System.nanoTime();
    Pinning pinning = Pinning.apply();
    System.out.println("pinning: " + pinning.description());
    List<Report.Config> configs = new ArrayList<>();
    Random random = new Random(options.seed);
    int profiled = options.jfr ? Arrays.stream(options.callers).max().orElse(0) : -1;
    LockProfile locks = null;
    try (ArmC c = ArmC.start(options, pinning)) {
      try (UpstreamProcess upstream = UpstreamProcess.start(pinning.upstreamCpu(), options.pace)) {
        List<Arm> arms = arms(upstream, c);
        try {
          for (int callers : options.callers) {
            ExecutorService pool = callerPool(callers);
            LockRecording recording = callers == profiled && locks == null
                ? LockRecording.start(LockRecording.THRESHOLD) : null;
            try {
              for (String mode : options.modes) {
                configs.add(run(mode, callers, arms, pool, upstream, options.rounds,
                    options.roundNanos, options.warmupNanos, random));
              }
              if (recording != null) {
                locks = recording.stop(options.jfrFile);
                System.out.println("lock profile: " + locks.acceptance());
              }
            } finally {
              stop(pool);
              if (recording != null) {
                recording.close();
              }
            }
          }
        } finally {
          close(arms);
        }
      }
      if (options.pacedMs > 0 && options.pacedCallers.length > 0) {
        try (UpstreamProcess paced =
            UpstreamProcess.start(pinning.upstreamCpu(), options.pacedMs)) {
          List<Arm> arms = arms(paced, c);
          try {
            for (int callers : options.pacedCallers) {
              ExecutorService pool = callerPool(callers);
              try {
                configs.add(run("paced", callers, arms, pool, paced, options.rounds,
                    options.roundNanos / 2, options.warmupNanos / 3, random));
              } finally {
                stop(pool);
              }
            }
          } finally {
            close(arms);
          }
        }
      }
      Duration total = Duration.ofNanos(System.nanoTime() - started);
      String lockLine = locks == null ? null
          : "[" + LOCKS_MD + "](" + LOCKS_MD + "): " + locks.acceptance();
      Report report = new Report(date, options.describe(), pinning, total, configs, c.note(),
          options.pacedMs, previous, lockLine);
      Files.createDirectories(options.out);
      Files.writeString(options.out.resolve("load.md"), report.markdown());
      Files.writeString(options.out.resolve("load.json"), report.json());
      if (locks != null) {
        Files.writeString(options.out.resolve(LOCKS_MD),
            locks.markdown(date, options.describe(), options.jfrFile.toString()));
      }
      System.out.println(report.markdown());
      System.out.println("wrote " + options.out.resolve("load.md") + " and load.json"
          + (locks == null ? "" : ", " + LOCKS_MD + " (raw recording " + options.jfrFile + ")")
          + " in " + total.toSeconds() + " s");
    }
  }

  /**
   * The arms against {@code upstream}, each called once unary and once streamed; C is dropped
   * (and skipped from then on) if those calls fail or do not reach the upstream.
   */
  private static List<Arm> arms(UpstreamProcess upstream, ArmC c) throws IOException {
    List<Arm> arms = new ArrayList<>(LoadArms.all(upstream.baseUrl(), c.process()));
    for (Arm arm : arms) {
      if (!arm.name().equals("C")) {
        arm.chat();
        arm.stream(new StreamTimes());
      }
    }
    for (Arm arm : List.copyOf(arms)) {
      if (arm.name().equals("C")) {
        String failure = probe(arm, upstream);
        if (failure != null) {
          arm.close();
          arms.remove(arm);
          c.skip(failure);
        }
      }
    }
    return arms;
  }

  /** Why arm C does not work against {@code upstream}, or null if it does. */
  private static @Nullable String probe(Arm arm, UpstreamProcess upstream) {
    long before = upstream.requests();
    StreamTimes times = new StreamTimes();
    try {
      arm.chat();
      times.reset(System.nanoTime());
      arm.stream(times);
    } catch (IOException | RuntimeException e) {
      return "a call through Portkey failed: " + e;
    }
    long seen = upstream.requests() - before;
    if (seen != 2) {
      return "Portkey answered, but the upstream saw " + seen + " requests instead of 2";
    }
    if (times.events() != Upstream.DELTAS.length) {
      return "a stream through Portkey carried " + times.events() + " content events, not "
          + Upstream.DELTAS.length;
    }
    return null;
  }

  private static Report.Config run(String mode, int callers, List<Arm> arms, ExecutorService pool,
      UpstreamProcess upstream, int rounds, long roundNanos, long warmupNanos, Random random)
      throws InterruptedException {
    boolean paced = mode.equals("paced");
    boolean stream = paced || mode.equals("stream");
    for (Arm arm : arms) {
      Round.run(arm, stream, paced, pool, callers, warmupNanos, upstream);
    }
    Map<String, List<Round.Result>> results = new LinkedHashMap<>();
    for (Arm arm : arms) {
      results.put(arm.name(), new ArrayList<>());
    }
    List<Arm> order = new ArrayList<>(arms);
    for (int r = 0; r < rounds; r++) {
      Collections.shuffle(order, random);
      for (Arm arm : order) {
        RoundEvent mark = new RoundEvent(mode, callers, arm.name());
        mark.begin();
        Round.Result result =
            Round.run(arm, stream, paced, pool, callers, roundNanos, upstream);
        mark.commit();
        results.get(arm.name()).add(result);
        System.out.printf("%-6s callers=%-2d round %d %-2s %,9.0f req/s p50 %,8.0f us"
                + " CPU %,7.1f us/req %,9.0f B/req upstream %.2f cores%s errors %d%n",
            mode, callers, r + 1, arm.name(), result.requestsPerSecond(),
            Round.Result.micros(result.latency(), 50), result.cpuMicrosPerRequest(),
            result.bytesPerRequest(), result.upstreamCores(),
            result.hasProxy() ? String.format(Locale.ROOT, " proxy %,.1f us/req",
                result.proxyCpuMicrosPerRequest()) : "",
            result.errors());
      }
    }
    return new Report.Config(mode, callers, results);
  }

  private static void stop(ExecutorService pool) throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }

  private static void close(List<Arm> arms) {
    for (Arm arm : arms) {
      arm.close();
    }
  }

  private static ExecutorService callerPool(int callers) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(callers, r -> {
      Thread t = new Thread(r, "caller-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Arm C's proxy for the whole run, or why there is none; closing it stops the proxy. Not
   * thread-safe: used by the main thread only.
   */
  static final class ArmC implements AutoCloseable {
    private @Nullable PortkeyProcess process;
    private String note;

    private ArmC(@Nullable PortkeyProcess process, String note) {
      this.process = process;
      this.note = note;
    }

    /** Installs and starts the proxy, or says why arm C is skipped. */
    static ArmC start(Options options, Pinning pinning) throws InterruptedException {
      if (!options.proxy) {
        return skipped("not requested (--no-proxy)");
      }
      try {
        PortkeyProcess p = PortkeyProcess.start(options.proxyDir, pinning.upstreamCpu());
        System.out.println("arm C: " + p.description());
        return new ArmC(p, "**Arm C:** A's raw client through " + p.description());
      } catch (IOException e) {
        return skipped(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }

    private static ArmC skipped(String reason) {
      ArmC c = new ArmC(null, "");
      c.skip(reason);
      return c;
    }

    @Nullable PortkeyProcess process() {
      return process;
    }

    /** Skips arm C from now on (stopping the proxy), printing the reason. */
    void skip(String reason) {
      note = "arm C skipped: " + reason;
      System.out.println(note);
      close();
    }

    /**
     * The report's line on arm C (Markdown): what ran, or {@code arm C skipped: <reason>}.
     */
    String note() {
      return note;
    }

    @Override
    public void close() {
      if (process != null) {
        process.close();
        process = null;
      }
    }
  }

  /** Whether and how this JVM and the upstream were pinned to CPUs. */
  record Pinning(boolean pinned, @Nullable String upstreamCpu, String description,
      int upstreamCores, int machineCpus) {
    static Pinning apply() {
      int cpus = Runtime.getRuntime().availableProcessors();
      if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
        return new Pinning(false, null, "not pinned (not Linux)", cpus, cpus);
      }
      if (cpus < 2) {
        return new Pinning(false, null, "not pinned (one CPU)", cpus, cpus);
      }
      try {
        Process p = new ProcessBuilder("taskset", "-a", "-cp", "0",
            Long.toString(ProcessHandle.current().pid()))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
          return new Pinning(false, null, "not pinned (taskset failed)", cpus, cpus);
        }
      } catch (IOException e) {
        return new Pinning(false, null, "not pinned (taskset not found)", cpus, cpus);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Pinning(false, null, "not pinned (interrupted)", cpus, cpus);
      }
      return new Pinning(true, "1",
          "pinned with taskset: measured JVM on CPU 0, upstream on CPU 1", 1, cpus);
    }
  }

  /** The command line. */
  static final class Options {
    int rounds = 5;
    long roundNanos = TimeUnit.SECONDS.toNanos(6);
    long warmupNanos = TimeUnit.SECONDS.toNanos(6);
    int[] callers = {1, 16, 64};
    List<String> modes = List.of("chat", "stream");
    int pace;
    int pacedMs = 5;
    int[] pacedCallers = {1, 16};
    boolean proxy = true;
    Path proxyDir = Path.of("llm-gateway-benchmarks", "target", "portkey");
    long seed = 42;
    boolean quick;
    Path out = Path.of("llm-gateway-benchmarks", "results");
    @Nullable Path previous;
    boolean jfr;
    Path jfrFile = Path.of("llm-gateway-benchmarks", "target", "load-locks.jfr");

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--quick" -> {
            o.quick = true;
            o.rounds = 2;
            o.roundNanos = TimeUnit.MILLISECONDS.toNanos(1500);
            o.warmupNanos = TimeUnit.MILLISECONDS.toNanos(1500);
          }
          case "--rounds" -> o.rounds = positive(a, value(args, ++i));
          case "--round-seconds" -> o.roundNanos = seconds(a, value(args, ++i));
          case "--warmup-seconds" -> o.warmupNanos = seconds(a, value(args, ++i));
          case "--callers" -> o.callers = callers(a, value(args, ++i));
          case "--paced-callers" -> o.pacedCallers = callers(a, value(args, ++i));
          case "--paced-ms" -> o.pacedMs = notNegative(a, value(args, ++i));
          case "--no-proxy" -> o.proxy = false;
          case "--proxy-dir" -> o.proxyDir = Path.of(value(args, ++i));
          case "--modes" -> {
            o.modes = List.of(value(args, ++i).split(","));
            for (String m : o.modes) {
              if (!m.equals("chat") && !m.equals("stream")) {
                throw new IllegalArgumentException("--modes takes chat and/or stream, not '"
                    + m + "'");
              }
            }
          }
          case "--pace-ms" -> o.pace = notNegative(a, value(args, ++i));
          case "--seed" -> o.seed = Long.parseLong(value(args, ++i));
          case "--out" -> o.out = Path.of(value(args, ++i));
          case "--previous" -> o.previous = Path.of(value(args, ++i));
          case "--jfr" -> o.jfr = true;
          default -> throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      }
      return o;
    }

    String describe() {
      String paced = pacedMs > 0 && pacedCallers.length > 0
          ? "paced check: chunks " + pacedMs + " ms apart, callers " + Arrays.toString(pacedCallers)
              + ", " + rounds + " rounds of " + roundNanos / 2 / 1e9 + " s after a "
              + warmupNanos / 3 / 1e9 + " s warm-up per arm"
          : "no paced check";
      return (quick ? "--quick: " : "") + rounds + " rounds of " + roundNanos / 1e9
          + " s per arm after a " + warmupNanos / 1e9 + " s warm-up per arm; callers "
          + Arrays.toString(callers) + "; modes " + modes + "; upstream pace " + pace
          + " ms; " + paced + "; arm C " + (proxy ? "requested" : "off (--no-proxy)")
          + "; seed " + seed + (jfr ? "; JFR lock profile at "
          + Arrays.stream(callers).max().orElse(0) + " callers (--jfr)" : "");
    }

    private static int[] callers(String option, String value) {
      return Arrays.stream(value.split(",")).mapToInt(s -> positive(option, s.trim())).toArray();
    }

    private static int notNegative(String option, String value) {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new IllegalArgumentException(option + " must be >= 0, was " + n);
      }
      return n;
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException("option '" + args[i - 1] + "' needs a value");
      }
      return args[i];
    }

    private static int positive(String option, String value) {
      int n = Integer.parseInt(value);
      if (n <= 0) {
        throw new IllegalArgumentException(option + " must be positive, was " + n);
      }
      return n;
    }

    private static long seconds(String option, String value) {
      double s = Double.parseDouble(value);
      if (!(s > 0)) {
        throw new IllegalArgumentException(option + " must be positive, was " + value);
      }
      return (long) (s * 1e9);
    }
  }
}
