package dev.llmgateway.internal;

import java.util.concurrent.atomic.AtomicLong;

/** Reactive Streams demand arithmetic, shared by every stream stage of the project. */
public final class Demand {
  private Demand() {}

  /**
   * Adds {@code n} to the outstanding demand, capping at {@link Long#MAX_VALUE} (rule 3.17: a
   * demand of {@code Long.MAX_VALUE} or more is unbounded).
   *
   * @return the demand before the addition
   */
  public static long add(AtomicLong demand, long n) {
    long current;
    long next;
    do {
      current = demand.get();
      if (current == Long.MAX_VALUE) {
        return current;
      }
      next = current + n;
      if (next < 0) {
        next = Long.MAX_VALUE;
      }
    } while (!demand.compareAndSet(current, next));
    return current;
  }
}
