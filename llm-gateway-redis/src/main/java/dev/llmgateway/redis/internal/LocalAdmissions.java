package dev.llmgateway.redis.internal;

import dev.llmgateway.core.limit.LimitCounter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The window admissions a fail-open store counted locally, by counter and the time they were
 * counted at, so that their settlements (token corrections, requests given back) go to the local
 * store that counted them and not to Redis, which never did. A multiset: one count per admission;
 * a settlement takes one. Entries older than two windows and a minute are forgotten (a settlement
 * that old is out of its window anyway: it would change nothing); at most {@code max} entries, past
 * which the oldest are not looked for (a settlement then goes to Redis, where it changes at most
 * its own delta). Lock-free and thread-safe.
 */
public final class LocalAdmissions {
  private record Key(LimitCounter counter, long countedAt) {}

  private final int max;
  private final ConcurrentHashMap<Key, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger adds = new AtomicInteger();

  /** At most {@code max} entries. */
  public LocalAdmissions(int max) {
    this.max = max;
  }

  /** Remembers one admission counted locally at {@code countedAt} (the gateway's ms). */
  public void add(LimitCounter counter, long countedAt, long windowMillis, long nowMillis) {
    if ((adds.incrementAndGet() & 1023) == 0 || counts.size() >= max) {
      sweep(nowMillis - 2 * windowMillis - 60_000);
      if (counts.size() >= max) {
        return;
      }
    }
    counts.computeIfAbsent(new Key(counter, countedAt), k -> new AtomicInteger())
        .incrementAndGet();
  }

  /** Takes one admission of {@code counter} at {@code countedAt}; false when none was local. */
  public boolean take(LimitCounter counter, long countedAt) {
    if (counts.isEmpty()) {
      return false;
    }
    Key key = new Key(counter, countedAt);
    AtomicInteger n = counts.get(key);
    if (n == null) {
      return false;
    }
    for (;;) {
      int v = n.get();
      if (v <= 0) {
        counts.remove(key, n);
        return false;
      }
      if (n.compareAndSet(v, v - 1)) {
        if (v == 1) {
          counts.remove(key, n);
        }
        return true;
      }
    }
  }

  private void sweep(long before) {
    counts.keySet().removeIf(k -> k.countedAt < before);
  }
}
