package dev.llmgateway.core.internal.health;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import org.jspecify.annotations.Nullable;

/**
 * A lock-free log-linear histogram of latencies, for percentiles of many calls in fixed memory.
 *
 * <p>Latencies are kept in whole microseconds, rounded up. Below {@value #SUB_BUCKETS} µs every
 * microsecond has its own bucket; above, each power-of-two range {@code [2^k, 2^(k+1))} is cut
 * into {@value #SUB_BUCKETS} equal buckets, up to {@code 2^32} µs (about 71.6 minutes); longer
 * latencies share one open-ended overflow bucket. A percentile is the inclusive upper bound of
 * the bucket that holds the nearest-rank value, capped at the largest latency recorded, so it is
 * <b>never below the exact nearest-rank latency and less than 1/64 (1.5625%) plus 1 µs above
 * it</b> (the microsecond is the rounding up); in the overflow bucket it is the largest latency
 * recorded.
 *
 * <p>Memory is fixed: {@value #BUCKETS} counters (about 14 KB). Thread-safe and lock-free:
 * {@link #record} is one max accumulation and one atomic increment. A snapshot taken while
 * others record may miss the latencies being recorded, but never reports a percentile below the
 * latencies it counts.
 */
public final class LatencyHistogram {
  /** log2 of the number of buckets per power of two. */
  private static final int SUB_BITS = 6;
  /** Buckets per power of two; also the first value that is not kept exactly. */
  static final int SUB_BUCKETS = 1 << SUB_BITS;
  /** Highest power of two with its own buckets: values up to {@code 2^32 - 1} µs. */
  private static final int MAX_EXPONENT = 31;
  /** The number of counters: exact ones, log-linear ones, and the overflow bucket. */
  static final int BUCKETS = SUB_BUCKETS + (MAX_EXPONENT - SUB_BITS + 1) * SUB_BUCKETS + 1;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);

  /** Records one latency; a negative one counts as zero. */
  public void record(Duration latency) {
    recordMicros(toMicros(latency));
  }

  /** Records one latency in microseconds; a negative one counts as zero. */
  public void recordMicros(long micros) {
    long value = Math.max(0, micros);
    // the maximum first: a snapshot that sees the count then also sees a maximum at least as big
    maxMicros.accumulate(value);
    counts.incrementAndGet(bucketOf(value));
  }

  /** A consistent-enough copy of the counts for reading percentiles. */
  public Snapshot snapshot() {
    long[] copy = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts.get(i);
      total += copy[i];
    }
    return new Snapshot(copy, total, maxMicros.get());
  }

  /** The bucket that holds a value in microseconds (not negative). */
  public static int bucketOf(long micros) {
    if (micros < SUB_BUCKETS) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int shift = exponent - SUB_BITS;
    int sub = (int) (micros >>> shift) - SUB_BUCKETS;
    return SUB_BUCKETS + shift * SUB_BUCKETS + sub;
  }

  /**
   * The largest value in microseconds a bucket holds; {@link Long#MAX_VALUE} for the open-ended
   * last bucket.
   */
  public static long upperBoundOf(int bucket) {
    if (bucket < SUB_BUCKETS) {
      return bucket;
    }
    if (bucket == BUCKETS - 1) {
      return Long.MAX_VALUE;
    }
    int shift = (bucket - SUB_BUCKETS) / SUB_BUCKETS;
    long sub = SUB_BUCKETS + (bucket - SUB_BUCKETS) % SUB_BUCKETS;
    return ((sub + 1) << shift) - 1;
  }

  private static long toMicros(Duration latency) {
    if (latency.isNegative()) {
      return 0;
    }
    long seconds = latency.getSeconds();
    if (seconds >= Long.MAX_VALUE / 1_000_000 - 1) {
      return Long.MAX_VALUE;
    }
    return seconds * 1_000_000 + (latency.getNano() + 999) / 1_000;
  }

  /** The counts at one moment. Immutable. */
  public static final class Snapshot {
    private final long[] counts;
    private final long total;
    private final long maxMicros;

    private Snapshot(long[] counts, long total, long maxMicros) {
      this.counts = counts;
      this.total = total;
      this.maxMicros = maxMicros;
    }

    /** How many latencies were recorded. */
    public long count() {
      return total;
    }

    /**
     * The latency at a percentile by nearest rank (see the class javadoc for its error), or null
     * when nothing was recorded.
     *
     * @param percentile in {@code (0, 100]}
     */
    public @Nullable Duration percentile(double percentile) {
      if (!(percentile > 0 && percentile <= 100)) {
        throw new IllegalArgumentException(
            "percentile must be in (0, 100], was " + percentile);
      }
      if (total == 0) {
        return null;
      }
      // multiply first: for a whole percentile the quotient is exact when it is a whole number
      long rank = Math.max(1, (long) Math.ceil(percentile * total / 100));
      long seen = 0;
      int bucket = 0;
      while (bucket < BUCKETS - 1) {
        seen += counts[bucket];
        if (seen >= rank) {
          break;
        }
        bucket++;
      }
      long micros = Math.min(upperBoundOf(bucket), maxMicros);
      return Duration.of(micros, ChronoUnit.MICROS);
    }
  }
}
