package dev.llmgateway.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatenessTest {
  @Test
  void latenessIsWhenTheCallerGotAnEventMinusWhenTheUpstreamFlushedItsChunk() {
    EventLog log = new EventLog();
    log.add("chatcmpl-paced-1", new long[] {5_100_000, 10_050_000, 15_300_000});

    Lateness.Sample s = Lateness.match(log,
        Map.of("chatcmpl-paced-1", new long[] {5_000_000, 10_000_000, 15_000_000}));

    assertThat(s.micros()).containsExactly(50.0, 100.0, 300.0);
    assertThat(s.unmatched()).isZero();
  }

  @Test
  void streamsTheUpstreamDidNotReportOrWithoutAnIdAreCountedAsUnmatched() {
    EventLog log = new EventLog();
    log.add("chatcmpl-paced-1", new long[] {5_100_000});
    log.add("chatcmpl-paced-2", new long[] {5_100_000});
    StreamTimes noId = new StreamTimes();
    noId.reset(System.nanoTime());
    noId.event();
    log.add(noId);

    Lateness.Sample s = Lateness.match(log, Map.of("chatcmpl-paced-1", new long[] {5_000_000}));

    assertThat(s.micros()).containsExactly(100.0);
    assertThat(s.unmatched()).isEqualTo(2);
  }

  @Test
  void heldBackFirstChunkMakesTheEarlyEventsLate() {
    // as Portkey does: the first chunk waits 25 ms, the chunks that arrived meanwhile follow it
    long[] sent = new long[8];
    long[] got = new long[8];
    for (int k = 0; k < 8; k++) {
      sent[k] = (k + 1) * 5_000_000L;
      got[k] = Math.max(30_000_000L, sent[k]);
    }
    EventLog log = new EventLog();
    log.add("c", got);

    Lateness.Percentiles p = Lateness.percentiles(Lateness.match(log, Map.of("c", sent)));

    assertThat(p.p99Micros()).isEqualTo(25_000.0);
    assertThat(p.p50Micros()).isEqualTo(5_000.0);
    assertThat(p.events()).isEqualTo(8);
  }

  @Test
  void nearestRankPercentiles() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    assertThat(Lateness.rank(sorted, 50)).isEqualTo(5);
    assertThat(Lateness.rank(sorted, 99)).isEqualTo(10);
    assertThat(Lateness.rank(sorted, 0)).isEqualTo(1);
    assertThat(Lateness.rank(new double[0], 50)).isNaN();
  }

  @Test
  void percentilesPerArmAndRound() {
    Map<String, List<Round.Result>> rounds = new LinkedHashMap<>();
    rounds.put("A", List.of(paced("A", 40, 0), paced("A", 60, 0)));
    rounds.put("B", List.of(paced("B", 100, 10), paced("B", 100, 0)));

    Map<String, List<Lateness.Percentiles>> late = Lateness.of(rounds);

    assertThat(late.get("A")).extracting(Lateness.Percentiles::p50Micros).containsExactly(40.0,
        60.0);
    assertThat(late.get("B").get(0).p50Micros()).isEqualTo(140.0);
    assertThat(late.get("B").get(0).p99Micros()).isEqualTo(190.0);
    assertThat(late.get("B").get(0).events()).isEqualTo(80);
  }

  private static Round.Result paced(String arm, double delayMicros, double stepMicros) {
    return Rounds.of(arm, 10, 40_000, 45_000, 0, Rounds.lateness(delayMicros, stepMicros));
  }
}
