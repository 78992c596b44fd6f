package dev.llmgateway.report.internal;

import java.util.Arrays;

/**
 * A growable list of latency samples and their exact nearest-rank percentiles: the p-th
 * percentile of n sorted samples is the one at rank {@code ceil(p / 100 * n)}. Not thread-safe.
 */
public final class Percentiles {

  private long[] samples = new long[8];
  private int size;
  private boolean sorted = true;

  /** Adds one sample. */
  public void add(long value) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = value;
    sorted = false;
  }

  /** The number of samples. */
  public int size() {
    return size;
  }

  /**
   * The nearest-rank percentile {@code p} (in (0, 100]) of the samples, or -1 when there are none.
   */
  public long percentile(double p) {
    if (size == 0) {
      return -1;
    }
    if (!sorted) {
      Arrays.sort(samples, 0, size);
      sorted = true;
    }
    int rank = (int) Math.ceil(p / 100.0 * size);
    return samples[Math.min(Math.max(rank, 1), size) - 1];
  }
}
