package dev.llmgateway.core.limit;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Concurrency slots: the leases held (lease id to the time it expires), at most the limit of them
 * unexpired. Expired leases are dropped when the slots are full (O(limit) then) and when the
 * store sweeps. Guarded by its own monitor.
 */
final class SlotCounter extends Counter {
  private final Map<String, Long> leases = new HashMap<>();

  @Override
  synchronized long take(LimitRequest request, long now) {
    if (dead) {
      return DEAD;
    }
    String id = request.leaseId();
    Long held = leases.get(id);
    if (held != null) {
      leases.put(id, Math.max(held, request.leaseUntilMillis()));
      return 0;
    }
    if (leases.size() >= request.limit()) {
      dropExpired(now);
      if (leases.size() >= request.limit()) {
        return refused(-1);
      }
    }
    leases.put(id, request.leaseUntilMillis());
    return 1;
  }

  private void dropExpired(long now) {
    for (Iterator<Long> i = leases.values().iterator(); i.hasNext(); ) {
      if (i.next() <= now) {
        i.remove();
      }
    }
  }

  @Override
  synchronized void adjust(LimitRequest request, long countedAtMillis, long delta) {
    // slots have no window
  }

  @Override
  synchronized void release(String leaseId) {
    leases.remove(leaseId);
  }

  @Override
  synchronized boolean retireIfIdle(long now) {
    if (!dead) {
      dropExpired(now);
      if (!leases.isEmpty()) {
        return false;
      }
    }
    dead = true;
    return true;
  }

  @Override
  boolean isSlots() {
    return true;
  }

  /** The slots held now, for tests. */
  synchronized int held() {
    return leases.size();
  }
}
