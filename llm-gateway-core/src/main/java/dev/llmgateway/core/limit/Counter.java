package dev.llmgateway.core.limit;

/**
 * One counter of {@link InMemoryLimitStore}: a sliding window or a set of concurrency slots, both
 * lock-free on the admission path. Once retired (idle, taken out of the store's table) it is dead: a
 * take that finds it dead looks the counter up again, so nothing is counted in a counter the table
 * no longer holds.
 */
abstract class Counter {
  /** What {@link #take} returns for a dead counter. */
  static final long DEAD = Long.MIN_VALUE;

  /**
   * Takes the request's amount or slot at {@code now} (0 or later): the time it was counted at (a
   * window), 1 for a slot newly taken and 0 for one renewed, {@link #DEAD}, or a refusal ({@link
   * #refused(long)}).
   */
  abstract long take(LimitRequest request, long now);

  /** Adds {@code delta} to the bucket of {@code countedAtMillis} while it is in the window. */
  abstract void adjust(LimitRequest request, long countedAtMillis, long delta);

  /** Releases {@code leaseId}'s slot, if it holds one. */
  abstract void release(String leaseId);

  /** Marks the counter dead and returns true when it holds nothing that still counts. */
  abstract boolean retireIfIdle(long now);

  /** Whether it holds slots (else a window). */
  abstract boolean isSlots();

  /** A refusal with {@code retryAfterMillis} (-1: unknown), as {@link #take} returns it. */
  static long refused(long retryAfterMillis) {
    return -3 - Math.max(-1, retryAfterMillis);
  }

  /** Whether {@link #take}'s result is a refusal. */
  static boolean isRefusal(long taken) {
    return taken < 0 && taken != DEAD;
  }

  /** The retry-after of a refusal (-1: unknown). */
  static long retryAfterOf(long refusal) {
    return -3 - refusal;
  }
}
