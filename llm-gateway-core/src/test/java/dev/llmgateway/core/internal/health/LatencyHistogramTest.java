package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyHistogramTest {
  private static final double[] PERCENTILES = {1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100};

  private final LatencyHistogram histogram = new LatencyHistogram();

  @Test
  void emptyHistogramHasNoPercentiles() {
    LatencyHistogram.Snapshot snapshot = histogram.snapshot();

    assertThat(snapshot.count()).isZero();
    assertThat(snapshot.percentile(50)).isNull();
  }

  @Test
  void latenciesBelowSixtyFourMicrosecondsAreExact() {
    for (int micros = 1; micros <= 63; micros++) {
      histogram.recordMicros(micros);
    }

    LatencyHistogram.Snapshot snapshot = histogram.snapshot();
    assertThat(snapshot.percentile(50)).isEqualTo(micros(32));
    assertThat(snapshot.percentile(100)).isEqualTo(micros(63));
  }

  @Test
  void everyValueFallsInOneBucketWhoseUpperBoundIsWithinOneSixtyFourth() {
    Random random = new Random(42);
    List<Long> values = new ArrayList<>(List.of(0L, 1L, 63L, 64L, 65L, 127L, 128L, 129L,
        1_000L, 3_600_000_000L, (1L << 32) - 1));
    for (int i = 0; i < 10_000; i++) {
      values.add((long) Math.exp(random.nextDouble() * Math.log(1L << 32)));
    }
    for (long value : values) {
      int bucket = LatencyHistogram.bucketOf(value);
      long upper = LatencyHistogram.upperBoundOf(bucket);
      assertThat(upper).as("upper bound of %s", value).isGreaterThanOrEqualTo(value);
      assertThat((double) (upper - value)).as("error at %s", value)
          .isLessThan(value / 64.0 + 1e-9);
      if (bucket > 0) {
        assertThat(LatencyHistogram.upperBoundOf(bucket - 1)).isLessThan(value);
      }
    }
  }

  @Test
  void bucketsAreContiguousAndIncreasing() {
    for (int bucket = 0; bucket < LatencyHistogram.BUCKETS - 2; bucket++) {
      long next = LatencyHistogram.upperBoundOf(bucket) + 1;
      assertThat(LatencyHistogram.bucketOf(next)).as("bucket after %s", bucket)
          .isEqualTo(bucket + 1);
    }
    assertThat(LatencyHistogram.bucketOf(1L << 32)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
  }

  @Test
  void percentilesAreNeverBelowTheExactNearestRankAndWithinTheStatedError() {
    Random random = new Random(7);
    long[] values = new long[20_000];
    for (int i = 0; i < values.length; i++) {
      // log-normal around 300 ms, the shape of LLM call latencies
      values[i] = Math.max(1, (long) (300_000 * Math.exp(random.nextGaussian())));
      histogram.recordMicros(values[i]);
    }
    Arrays.sort(values);

    LatencyHistogram.Snapshot snapshot = histogram.snapshot();
    assertThat(snapshot.count()).isEqualTo(values.length);
    for (double p : PERCENTILES) {
      long exact = values[(int) Math.ceil(p * values.length / 100) - 1];
      long reported = toMicros(snapshot.percentile(p));
      assertThat(reported).as("p%s", p).isGreaterThanOrEqualTo(exact)
          .isLessThanOrEqualTo(exact + exact / 64);
    }
  }

  @Test
  void percentileIsCappedAtTheLargestLatencyRecorded() {
    histogram.recordMicros(1_000);

    assertThat(histogram.snapshot().percentile(99)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void roundsNanosecondsUpToWholeMicroseconds() {
    histogram.record(Duration.ofNanos(1_500));

    assertThat(histogram.snapshot().percentile(50)).isEqualTo(micros(2));
  }

  @Test
  void latenciesBeyondTheLastBucketReportTheLargestRecorded() {
    histogram.record(Duration.ofHours(2));
    histogram.record(Duration.ofHours(3));

    LatencyHistogram.Snapshot snapshot = histogram.snapshot();
    assertThat(snapshot.percentile(50)).isEqualTo(Duration.ofHours(3));
    assertThat(snapshot.percentile(100)).isEqualTo(Duration.ofHours(3));
  }

  @Test
  void negativeLatencyCountsAsZero() {
    histogram.record(Duration.ofMillis(-5));

    assertThat(histogram.snapshot().percentile(50)).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, 100.5, Double.NaN})
  void rejectsPercentilesOutsideZeroToHundred(double percentile) {
    histogram.recordMicros(10);
    LatencyHistogram.Snapshot snapshot = histogram.snapshot();

    assertThatThrownBy(() -> snapshot.percentile(percentile))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("percentile must be in (0, 100]");
  }

  @Test
  void concurrentRecordingLosesNothing() throws Exception {
    int threads = 8;
    int perThread = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 1; i <= perThread; i++) {
            histogram.recordMicros(i);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    LatencyHistogram.Snapshot snapshot = histogram.snapshot();
    assertThat(snapshot.count()).isEqualTo((long) threads * perThread);
    assertThat(snapshot.percentile(100)).isEqualTo(micros(perThread));
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1_000);
  }

  private static long toMicros(Duration duration) {
    return duration.toNanos() / 1_000;
  }
}
