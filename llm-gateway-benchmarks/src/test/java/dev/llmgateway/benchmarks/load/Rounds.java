package dev.llmgateway.benchmarks.load;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/** Synthetic {@link Round.Result}s for the report's tests. */
final class Rounds {
  private Rounds() {}

  /**
   * A one-second round of {@code requests} calls whose latency is {@code p50Micros} for 98 of
   * every 100 calls and {@code p99Micros} for the rest.
   */
  static Round.Result of(String arm, long requests, double p50Micros, double p99Micros,
      long errors, Lateness.@Nullable Sample lateness) {
    Histogram latency = new Histogram(60_000_000_000L, 3);
    latency.recordValueWithCount((long) (p50Micros * 1e3), 98);
    latency.recordValueWithCount((long) (p99Micros * 1e3), 2);
    Histogram firstEvent = new Histogram(60_000_000_000L, 3);
    firstEvent.recordValue((long) (p50Micros * 1e3));
    return new Round.Result(arm, requests, errors, errors > 0 ? "java.io.IOException: boom" : null,
        1.0, requests * 50_000L, requests * 10_000L, requests * 40_000L,
        arm.equals("C") ? requests * 2_000_000L : -1, latency, firstEvent,
        new Histogram(60_000_000_000L, 3), lateness);
  }

  static Round.Result of(String arm, long requests, double p50Micros) {
    return of(arm, requests, p50Micros, p50Micros * 4, 0, null);
  }

  /**
   * A one-second round of 1,000 calls at 1,000 µs p50, each call costing {@code cpuMicros} of CPU
   * and allocating {@code bytes}.
   */
  static Round.Result costing(String arm, double cpuMicros, double bytes) {
    Round.Result r = of(arm, 1000, 1000);
    return new Round.Result(arm, r.requests(), 0, null, r.seconds(),
        (long) (cpuMicros * 1e3 * r.requests()), (long) (bytes * r.requests()),
        r.upstreamCpuNanos(), r.proxyCpuNanos(), r.latency(), r.firstEvent(), r.eventGap(), null);
  }

  /**
   * A paced round's lateness: ten streams of eight events, each event {@code delayMicros} after
   * its chunk was flushed, plus {@code stepMicros} times the stream's number.
   */
  static Lateness.Sample lateness(double delayMicros, double stepMicros) {
    EventLog log = new EventLog();
    Map<String, long[]> flushed = new HashMap<>();
    for (int s = 0; s < 10; s++) {
      long[] sent = new long[8];
      long[] got = new long[8];
      for (int k = 0; k < 8; k++) {
        sent[k] = 1_000_000_000L + s * 50_000_000L + (k + 1) * 5_000_000L;
        got[k] = sent[k] + (long) ((delayMicros + s * stepMicros) * 1e3);
      }
      log.add("chatcmpl-paced-" + s, got);
      flushed.put("chatcmpl-paced-" + s, sent);
    }
    return Lateness.match(log, flushed);
  }
}
