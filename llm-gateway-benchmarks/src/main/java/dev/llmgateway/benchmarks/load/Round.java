package dev.llmgateway.benchmarks.load;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.llmgateway.benchmarks.load.LoadArms.Arm;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * One closed-loop round of one arm: {@code callers} threads of a pool call the arm back to back
 * until the round's time is up, and the round measures, around all of them, wall time, this
 * process's CPU time, the bytes allocated by every live JVM thread, the upstream's CPU time and,
 * for an arm through a proxy process, the proxy's CPU time. In the paced mode each caller also
 * logs every stream's id and content event times ({@link EventLog}), and the round matches them
 * with the upstream's flush times of the round for the {@link Lateness} check.
 *
 * <p>Allocation is the sum of {@link ThreadMXBean#getThreadAllocatedBytes(long[])} over all
 * threads alive at the end, minus their figure at the start (0 for threads started during the
 * round). Threads that end during the round (an idle OkHttp task runner, a provider's stream
 * reader thread retired after 60 s idle) are missed; so is what the measurement itself allocates
 * outside the callers, a few KB per round.
 */
final class Round {
  private static final ThreadMXBean THREADS =
      (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** What one round measured. */
  record Result(
      String arm, long requests, long errors, @Nullable String firstError, double seconds,
      long cpuNanos, long allocatedBytes, long upstreamCpuNanos, long proxyCpuNanos,
      Histogram latency, @Nullable Histogram firstEvent, @Nullable Histogram eventGap,
      Lateness.@Nullable Sample lateness) {

    double requestsPerSecond() {
      return requests / seconds;
    }

    double cpuMicrosPerRequest() {
      return cpuNanos / 1e3 / requests;
    }

    double bytesPerRequest() {
      return (double) allocatedBytes / requests;
    }

    double cores() {
      return cpuNanos / 1e9 / seconds;
    }

    double upstreamCores() {
      return upstreamCpuNanos / 1e9 / seconds;
    }

    /** Whether {@link #proxyCpuNanos} was measured (an arm through a proxy, on Linux). */
    boolean hasProxy() {
      return proxyCpuNanos >= 0;
    }

    /** The proxy process's CPU per request in microseconds, NaN without one. */
    double proxyCpuMicrosPerRequest() {
      return hasProxy() ? proxyCpuNanos / 1e3 / requests : Double.NaN;
    }

    /** The proxy process's CPU in cores, NaN without one. */
    double proxyCores() {
      return hasProxy() ? proxyCpuNanos / 1e9 / seconds : Double.NaN;
    }

    /** A latency percentile in microseconds. */
    static double micros(Histogram h, double percentile) {
      return h.getValueAtPercentile(percentile) / 1e3;
    }
  }

  private Round() {}

  /**
   * Runs one round; {@code paced} (streams only) logs each content event's time. A proxy CPU
   * figure of -1 from the arm (none, or not readable) gives a result without one.
   */
  static Result run(Arm arm, boolean stream, boolean paced, ExecutorService pool, int callers,
      long durationNanos, UpstreamProcess upstream) throws InterruptedException {
    if (paced && !stream) {
      throw new IllegalArgumentException("the paced mode logs stream events; it needs streams");
    }
    List<Caller> work = new ArrayList<>(callers);
    for (int i = 0; i < callers; i++) {
      work.add(new Caller(arm, stream, paced));
    }
    if (paced) {
      upstream.drainSent();
    }
    long proxy0 = arm.proxyCpuNanos();
    long upstream0 = upstream.cpuNanos();
    long cpu0 = OS.getProcessCpuTime();
    Map<Long, Long> alloc0 = allocated();
    long t0 = System.nanoTime();
    long deadline = t0 + durationNanos;
    List<Future<?>> running = new ArrayList<>(callers);
    for (Caller c : work) {
      c.deadline = deadline;
      running.add(pool.submit(c));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a caller thread failed", e.getCause());
      }
    }
    long t1 = System.nanoTime();
    Map<Long, Long> alloc1 = allocated();
    long cpu1 = OS.getProcessCpuTime();
    long upstream1 = upstream.cpuNanos();
    long proxy1 = arm.proxyCpuNanos();

    long allocatedBytes = 0;
    for (Map.Entry<Long, Long> e : alloc1.entrySet()) {
      allocatedBytes += e.getValue() - alloc0.getOrDefault(e.getKey(), 0L);
    }
    Histogram latency = histogram();
    Histogram firstEvent = stream ? histogram() : null;
    Histogram eventGap = stream ? histogram() : null;
    EventLog events = paced ? new EventLog() : null;
    long requests = 0;
    long errors = 0;
    String firstError = null;
    for (Caller c : work) {
      latency.add(c.latency);
      if (stream) {
        firstEvent.add(c.firstEvent);
        eventGap.add(c.eventGap);
      }
      if (events != null && c.events != null) {
        events.addAll(c.events);
      }
      requests += c.requests;
      errors += c.errors;
      if (firstError == null && c.firstError != null) {
        firstError = c.firstError;
      }
    }
    long proxyCpu = proxy0 >= 0 && proxy1 >= 0 ? proxy1 - proxy0 : -1;
    Lateness.Sample lateness = events == null ? null
        : Lateness.match(events, upstream.drainSent());
    return new Result(arm.name(), requests, errors, firstError, (t1 - t0) / 1e9, cpu1 - cpu0,
        allocatedBytes, upstream1 - upstream0, proxyCpu, latency, firstEvent, eventGap, lateness);
  }

  /** Every live thread's allocated bytes by thread id. */
  private static Map<Long, Long> allocated() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> byId = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        byId.put(ids[i], bytes[i]);
      }
    }
    return byId;
  }

  private static Histogram histogram() {
    return new Histogram(MAX_NANOS, 3);
  }

  /** One caller thread's loop; its histograms are allocated before the round starts. */
  private static final class Caller implements Runnable {
    private final Arm arm;
    private final boolean stream;
    private final Histogram latency = histogram();
    private final Histogram firstEvent = histogram();
    private final Histogram eventGap = histogram();
    private final StreamTimes times = new StreamTimes();
    private final @Nullable EventLog events;
    private volatile long deadline;
    private long requests;
    private long errors;
    private @Nullable String firstError;

    Caller(Arm arm, boolean stream, boolean paced) {
      this.arm = arm;
      this.stream = stream;
      this.events = paced ? new EventLog() : null;
    }

    @Override
    public void run() {
      long end = deadline;
      for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
        try {
          if (stream) {
            times.reset(start);
            arm.stream(times);
          } else {
            arm.chat();
          }
          long now = System.nanoTime();
          latency.recordValue(Math.min(now - start, MAX_NANOS));
          if (stream) {
            if (times.events() == 0) {
              throw new IllegalStateException("the stream carried no content event");
            }
            firstEvent.recordValue(Math.min(times.timeToFirstEvent(), MAX_NANOS));
            eventGap.recordValue(Math.min(times.meanEventGap(), MAX_NANOS));
            if (events != null) {
              events.add(times);
            }
          }
          requests++;
        } catch (Exception | AssertionError e) {
          errors++;
          if (firstError == null) {
            firstError = e.toString();
          }
        }
      }
    }
  }
}
