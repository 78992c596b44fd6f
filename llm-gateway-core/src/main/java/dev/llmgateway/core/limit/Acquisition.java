package dev.llmgateway.core.limit;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link LimitStore} answered to one {@link LimitStore#acquire acquire}: every request
 * admitted (and where each window request was counted), or the first request that refused, with
 * how long until it would admit. Immutable.
 */
public final class Acquisition {
  private static final long[] NONE = new long[0];

  private final boolean admitted;
  private final long[] countedAtMillis;
  private final int refusedIndex;
  private final long retryAfterMillis;

  private Acquisition(boolean admitted, long[] countedAtMillis, int refusedIndex,
      long retryAfterMillis) {
    this.admitted = admitted;
    this.countedAtMillis = countedAtMillis;
    this.refusedIndex = refusedIndex;
    this.retryAfterMillis = retryAfterMillis;
  }

  /**
   * Every request admitted; {@code countedAtMillis[i]} is the time request {@code i} was counted at
   * (for a window: in the bucket of that time; ignored for a slot). The array is kept, not copied.
   */
  public static Acquisition admitted(long[] countedAtMillis) {
    return new Acquisition(true, Objects.requireNonNull(countedAtMillis, "countedAtMillis"), -1,
        -1);
  }

  /**
   * Nothing taken: request {@code index} refused; it would admit after {@code retryAfterMillis}
   * (-1: unknown, as for a concurrency slot, or never, as for an amount above the limit).
   */
  public static Acquisition refused(int index, long retryAfterMillis) {
    if (index < 0) {
      throw new IllegalArgumentException("index " + index);
    }
    return new Acquisition(false, NONE, index, Math.max(-1, retryAfterMillis));
  }

  /** Whether every request was admitted. */
  public boolean isAdmitted() {
    return admitted;
  }

  /** When request {@code i} was counted (its window's bucket); 0 for a slot. */
  public long countedAtMillis(int i) {
    return countedAtMillis[i];
  }

  /** The first request that refused; -1 when admitted. */
  public int refusedIndex() {
    return refusedIndex;
  }

  /** How long until the refusing request would admit; null when unknown, or when admitted. */
  public @Nullable Duration retryAfter() {
    return retryAfterMillis < 0 ? null : Duration.ofMillis(retryAfterMillis);
  }

  @Override
  public String toString() {
    return admitted ? "Acquisition[admitted]"
        : "Acquisition[refused by request " + refusedIndex + ", retry after "
            + (retryAfterMillis < 0 ? "unknown" : retryAfterMillis + " ms") + "]";
  }
}
