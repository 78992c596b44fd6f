package dev.llmgateway.core.limit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one admission asks of one counter: to add {@code amount} to a sliding window ({@link
 * #window}) or to take a concurrency slot under a lease ({@link #slot}). It carries the limit as it
 * is now, so a limit changed at run time applies to the next request at once and its counts stay;
 * a window whose length or bucket count changed starts counting afresh.
 *
 * @param counter the counter
 * @param limit the most the counter may hold (per window, or slots at once)
 * @param windowMillis the window's length; 0 for a slot
 * @param buckets the window's bucket count; 0 for a slot
 * @param amount what to add to the window (1 for a request, the estimated tokens); 1 for a slot
 * @param leaseId who holds the slot (the call id; a retry at the same deployment holds the one slot
 *     it has); null for a window
 * @param leaseUntilMillis when the slot expires if it is never released; 0 for a window
 */
public record LimitRequest(LimitCounter counter, long limit, long windowMillis, int buckets,
    long amount, @Nullable String leaseId, long leaseUntilMillis) {

  /** Checks the values. */
  public LimitRequest {
    Objects.requireNonNull(counter, "counter");
    if (limit < 1 || limit > RateLimit.MAX_LIMIT) {
      throw new IllegalArgumentException("limit out of range: " + limit);
    }
    if (leaseId == null) {
      if (windowMillis < 1 || buckets < 1 || buckets > windowMillis || amount < 0) {
        throw new IllegalArgumentException("a window request needs a window, buckets and an"
            + " amount of at least 0");
      }
    } else if (windowMillis != 0 || buckets != 0 || amount != 1) {
      throw new IllegalArgumentException("a slot request has no window and an amount of 1");
    }
  }

  /** Adds {@code amount} to the counter's window. */
  public static LimitRequest window(LimitCounter counter, long limit, long windowMillis,
      int buckets, long amount) {
    return new LimitRequest(counter, limit, windowMillis, buckets, amount, null, 0);
  }

  /** Takes one slot of the counter for {@code leaseId} until it is released or the lease ends. */
  public static LimitRequest slot(LimitCounter counter, long limit, String leaseId,
      long leaseUntilMillis) {
    return new LimitRequest(counter, limit, 0, 0, 1, Objects.requireNonNull(leaseId, "leaseId"),
        leaseUntilMillis);
  }

  /** Whether this takes a concurrency slot (else it counts in a window). */
  public boolean isSlot() {
    return leaseId != null;
  }

  /** The window's bucket length, {@code ceil(windowMillis / buckets)}; 0 for a slot. */
  public long bucketMillis() {
    return buckets == 0 ? 0 : (windowMillis + buckets - 1) / buckets;
  }
}
