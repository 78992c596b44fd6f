package dev.llmgateway.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The paced check: how late each content event reaches the caller, with the {@link Upstream}
 * pacing its content chunks a few milliseconds apart.
 *
 * <p>The <em>lateness</em> of a content event is the {@link System#nanoTime()} at which the arm
 * handed it to the caller ({@link StreamTimes#event()}) minus the {@code System.nanoTime()} at
 * which the upstream had just flushed that chunk to its socket. The two are read in two
 * processes; on Linux the JVM reads {@code CLOCK_MONOTONIC} for both, one clock for the whole
 * machine. Streams are matched by the id the upstream gives each paced stream, which every arm
 * reports (A and C from {@code RawOpenAiClient.Answer.id()}, B0 and B from {@code
 * ChatResponse.providerResponseId()}); content event k of a stream is matched to its chunk k.
 *
 * <p>A's lateness is the floor any client pays: the loopback hop, the wake-up of the thread that
 * reads the socket and the parse of a chunk; it stands for "arriving". B − A, B's lateness minus
 * A's, is what the gateway adds to each event between its socket and its caller. The upstream's
 * pacing jitter and each arm's request-side time lie outside the measured interval, so they do
 * not blur it.
 *
 * <p>Per arm and round: p50 and p99 over all its events. The report shows their medians over
 * rounds and, for B − A, the per-round differences of those percentiles as median (min–max).
 */
final class Lateness {
  private Lateness() {}

  /**
   * The lateness of every matched event of one arm in one round, in microseconds, sorted; and how
   * many streams could not be matched to the upstream's flush times.
   */
  record Sample(double[] micros, int unmatched) {}

  /** Lateness percentiles of one arm in one round, in microseconds, over {@code events}. */
  record Percentiles(double p50Micros, double p99Micros, int events, int unmatched) {}

  /** Matches the streams of {@code log} with the upstream's flush times of their chunks. */
  static Sample match(EventLog log, Map<String, long[]> flushed) {
    int unmatched = log.withoutId();
    int n = 0;
    for (EventLog.Stream s : log.streams()) {
      n += s.eventNanos().length;
    }
    double[] micros = new double[n];
    int m = 0;
    for (EventLog.Stream s : log.streams()) {
      long[] sent = flushed.get(s.id());
      if (sent == null) {
        unmatched++;
        continue;
      }
      long[] got = s.eventNanos();
      for (int k = 0; k < Math.min(got.length, sent.length); k++) {
        micros[m++] = (got[k] - sent[k]) / 1e3;
      }
    }
    double[] sorted = Arrays.copyOf(micros, m);
    Arrays.sort(sorted);
    return new Sample(sorted, unmatched);
  }

  /** The p50 and p99 of a sample (NaN for an empty one). */
  static Percentiles percentiles(Sample s) {
    double[] v = s.micros();
    return new Percentiles(rank(v, 50), rank(v, 99), v.length, s.unmatched());
  }

  /**
   * Per arm, per round, its lateness percentiles; arms and rounds as in a {@link Report.Config}
   * of the paced mode.
   */
  static Map<String, List<Percentiles>> of(Map<String, List<Round.Result>> rounds) {
    Map<String, List<Percentiles>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Round.Result>> e : rounds.entrySet()) {
      List<Percentiles> perRound = new ArrayList<>();
      for (Round.Result r : e.getValue()) {
        perRound.add(percentiles(sample(r)));
      }
      out.put(e.getKey(), perRound);
    }
    return out;
  }

  /** The nearest-rank percentile of sorted values (NaN for none). */
  static double rank(double[] sorted, double percentile) {
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(percentile / 100 * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, i))];
  }

  private static Sample sample(Round.Result result) {
    Sample s = result.lateness();
    if (s == null) {
      throw new IllegalArgumentException("round of arm " + result.arm() + " has no lateness");
    }
    return s;
  }
}
