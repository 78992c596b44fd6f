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
  /** Per lease id, the request that holds it (its lease's end in it): no boxed time per take. */
  private final Map<String, LimitRequest> leases = new ConcurrentHashMap<>();

  @Override
  long take(LimitRequest request, long now) {
    String id = request.leaseId();
    if (leases.get(id) != null // a renewal is rare: no lambda for a first take
        && leases.computeIfPresent(id, (k, held) -> later(held, request)) != null) {
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
    if (leases.putIfAbsent(id, request) != null) { // the same lease taken twice at once
      count.decrementAndGet();
      leases.computeIfPresent(id, (k, held) -> later(held, request));
      return 0;
    }
    return 1;
  }

  /** Of two requests of one lease, the one whose lease ends later. */
  private static LimitRequest later(LimitRequest held, LimitRequest request) {
    return request.leaseUntilMillis() > held.leaseUntilMillis() ? request : held;
  }

  /** Drops the leases expired at {@code now}, giving their slots back; how many it dropped. */
  private int dropExpired(long now) {
    int dropped = 0;
    for (Map.Entry<String, LimitRequest> e : leases.entrySet()) {
      if (e.getValue().leaseUntilMillis() <= now && leases.remove(e.getKey(), e.getValue())) {
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
