package dev.llmgateway.core.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrency slots: the leases held (lease id to the time it expires), at most the limit of them
 * unexpired. Expired leases are dropped when the slots are full (O(limit) then) and when the
 * store sweeps.
 *
 * <p>Lock-free: a slot is claimed on {@link #count} by compare-and-set before its lease is put,
 * and given back after its lease is removed, so the count is never below the leases held and a
 * claim that would pass the limit fails — never looser than the limit. Every call of a key takes
 * and releases this one counter: under a monitor, 64 callers on one core queued behind a holder
 * the scheduler had preempted (the load runner's lock profile: the most contended monitor after
 * OkHttp's connection). Retiring is a compare-and-set of the count from 0 to {@link #RETIRED}, so
 * a take either claimed first (and the counter stays) or finds it dead.
 */
final class SlotCounter extends Counter {
  private static final int RETIRED = -1;
  /** Slots claimed: at least the leases held; {@link #RETIRED} once dead. */
  private final AtomicInteger count = new AtomicInteger();
  private final Map<String, Long> leases = new ConcurrentHashMap<>();

  @Override
  long take(LimitRequest request, long now) {
    String id = request.leaseId();
    long until = request.leaseUntilMillis();
    if (leases.get(id) != null // a renewal is rare: no lambda for a first take
        && leases.computeIfPresent(id, (k, held) -> Math.max(held, until)) != null) {
      return 0; // renewed: a counter holding a lease is not retired
    }
    for (;;) {
      int c = count.get();
      if (c == RETIRED) {
        return DEAD;
      }
      if (c >= request.limit()) {
        if (dropExpired(now) > 0) {
          continue;
        }
        return refused(-1);
      }
      if (count.compareAndSet(c, c + 1)) {
        break;
      }
    }
    if (leases.putIfAbsent(id, until) != null) { // the same lease taken twice at once
      count.decrementAndGet();
      leases.computeIfPresent(id, (k, held) -> Math.max(held, until));
      return 0;
    }
    return 1;
  }

  /** Drops the leases expired at {@code now}, giving their slots back; how many it dropped. */
  private int dropExpired(long now) {
    int dropped = 0;
    for (Map.Entry<String, Long> e : leases.entrySet()) {
      if (e.getValue() <= now && leases.remove(e.getKey(), e.getValue())) {
        count.decrementAndGet();
        dropped++;
      }
    }
    return dropped;
  }

  @Override
  void adjust(LimitRequest request, long countedAtMillis, long delta) {
    // slots have no window
  }

  @Override
  void release(String leaseId) {
    if (leases.remove(leaseId) != null) {
      count.decrementAndGet();
    }
  }

  @Override
  boolean retireIfIdle(long now) {
    dropExpired(now);
    return count.get() == RETIRED || count.compareAndSet(0, RETIRED);
  }

  @Override
  boolean isSlots() {
    return true;
  }

  /** The slots held now, for tests. */
  int held() {
    return leases.size();
  }

  /** The slots claimed now (at least {@link #held()}), for tests. */
  int claimed() {
    return count.get();
  }
}
