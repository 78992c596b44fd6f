package dev.llmgateway.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * One arm of the load runner alone in this JVM, one caller or several, unary calls: where its CPU
 * goes by thread, and how often each thread is switched out, per request. It answers what the load
 * runner's ratios cannot: which threads besides the caller's (the timer wheel, the usage
 * delivery lane, OkHttp's connection pool, the JIT compilers, the VM thread) a gateway call keeps
 * busy or wakes. Linux only: it reads {@code /proc/self/task/*} (CPU in clock ticks of 10 ms, so
 * a thread's figure is exact to about 10 ms per round; voluntary switches are a thread going to
 * sleep, mostly to wait for a wake-up). Threads are grouped by their native name, digits folded.
 *
 * <p>Run from the project root, the JVM pinned to CPU 0 as the load runner pins itself (the
 * upstream goes to CPU 1), one arm per JVM:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * taskset -c 0 java -Xms1g -Xmx1g -cp llm-gateway-benchmarks/target/benchmarks.jar \
 *   dev.llmgateway.benchmarks.load.ArmProfile A 20 5
 * taskset -c 0 java -Xms1g -Xmx1g -cp llm-gateway-benchmarks/target/benchmarks.jar \
 *   dev.llmgateway.benchmarks.load.ArmProfile B 20 5
 * </pre>
 *
 * The arguments: the arm ({@code A}, {@code B0}, {@code B1} or {@code B}, see {@link LoadArms}),
 * the warm-up and the round in seconds, and optionally the number of callers (1 by default), each
 * on its own thread; three rounds follow the warm-up. With several callers the warm-up runs twice,
 * first with one caller: callers that keep the one CPU busy leave the JIT compilers so little of
 * it that C2 was still compiling the chain's methods after a minute of 16 callers. Not
 * thread-safe; a tool, never published.
 */
public final class ArmProfile {
  private static final long TICK_NANOS = 10_000_000L;
  private static final int ROUNDS = 3;

  private ArmProfile() {}

  /** Runs one arm; see the class's javadoc for the arguments. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3 && args.length != 4) {
      throw new IllegalArgumentException(
          "usage: ArmProfile A|B0|B1|B WARM_UP_SECONDS ROUND_SECONDS [CALLERS]");
    }
    String name = args[0];
    long warmUp = (long) (Double.parseDouble(args[1]) * 1e9);
    long round = (long) (Double.parseDouble(args[2]) * 1e9);
    int callers = args.length == 4 ? Integer.parseInt(args[3]) : 1;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (UpstreamProcess upstream = UpstreamProcess.start("1", 0)) {
      LoadArms.Arm arm = null;
      for (LoadArms.Arm a : LoadArms.all(upstream.baseUrl(), null)) {
        if (a.name().equals(name)) {
          arm = a;
        } else {
          a.close();
        }
      }
      if (arm == null) {
        throw new IllegalArgumentException("no arm named " + name + "; use A, B0, B1 or B");
      }
      try {
        // one caller first: on one CPU, callers crowd out the JIT compilers for minutes
        calls(arm, 1, System.nanoTime() + warmUp);
        if (callers > 1) {
          calls(arm, callers, System.nanoTime() + warmUp);
        }
        for (int r = 0; r < ROUNDS; r++) {
          Map<String, long[]> before = threads();
          long cpu = os.getProcessCpuTime();
          long start = System.nanoTime();
          long calls = calls(arm, callers, start + round);
          long wall = System.nanoTime() - start;
          cpu = os.getProcessCpuTime() - cpu;
          report(name, r, calls, wall, cpu, before, threads());
        }
      } finally {
        arm.close();
      }
    }
  }

  /** Unary calls from {@code callers} threads until {@code end}; the number of calls made. */
  private static long calls(LoadArms.Arm arm, int callers, long end) throws IOException {
    if (callers == 1) {
      long calls = 0;
      for (; System.nanoTime() < end; calls++) {
        arm.chat();
      }
      return calls;
    }
    AtomicLong calls = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Thread t = new Thread(() -> {
        try {
          long mine = 0;
          for (; System.nanoTime() < end; mine++) {
            arm.chat();
          }
          calls.addAndGet(mine);
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }, "caller-" + i);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the callers ran", e);
      }
    }
    if (failure.get() != null) {
      throw new IOException("a caller failed", failure.get());
    }
    return calls.get();
  }

  private static void report(String arm, int round, long calls, long wall, long cpu,
      Map<String, long[]> before, Map<String, long[]> after) {
    System.out.printf("%s round %d: %d calls, %.1f us/call wall, %.2f us CPU/call in this"
        + " process%n", arm, round, calls, wall / 1e3 / calls, cpu / 1e3 / calls);
    long voluntary = 0;
    long involuntary = 0;
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[3]);
      long threadCpu = e.getValue()[0] - b[0];
      long vol = e.getValue()[1] - b[1];
      long inv = e.getValue()[2] - b[2];
      voluntary += vol;
      involuntary += inv;
      if (threadCpu > 0 || vol > calls / 100) {
        System.out.printf("   %-18s cpu %8.2f us/call   voluntary switches %6.3f/call"
            + "   involuntary %6.3f/call%n", e.getKey(), threadCpu / 1e3 / calls,
            vol / (double) calls, inv / (double) calls);
      }
    }
    System.out.printf("   all threads: voluntary %.3f/call, involuntary %.3f/call%n",
        voluntary / (double) calls, involuntary / (double) calls);
  }

  /** CPU nanoseconds, voluntary and involuntary switches of this process's threads, by name. */
  private static Map<String, long[]> threads() throws IOException {
    Map<String, long[]> byName = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
          long[] sums = byName.computeIfAbsent(name, k -> new long[3]);
          sums[0] += ticks * TICK_NANOS;
          List<String> status = Files.readAllLines(task.resolve("status"));
          for (String line : status) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              sums[1] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
              sums[2] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException | RuntimeException gone) {
          // the thread ended while it was read: it is left out of this snapshot
        }
      }
    }
    return byName;
  }
}
