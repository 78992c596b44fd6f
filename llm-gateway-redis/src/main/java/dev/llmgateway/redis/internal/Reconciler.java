package dev.llmgateway.redis.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the stores could not write to Redis while it failed — budget settlements above all, also
 * threshold marks, slot releases and token corrections — kept in this JVM and written when Redis
 * answers again. A budget settlement is replayed by its call id, which Redis settles once (its
 * settled mark), so a settlement whose first try did reach Redis (a reply lost to a timeout) is
 * not charged twice; one item per key ({@link Item#key()}) is kept, the latest.
 *
 * <p>Bounded: at most {@code max} items; one more is dropped, counted and logged (the first, then
 * one line per thousand). Drained in order by one
 * thread at a time (a caller's, after its own store call succeeded, a batch at a time; or {@link
 * #drain(int)} from {@code RedisStores.reconcile()}); an item whose replay fails is put back in
 * front when it is safe to replay twice and the failure is thrown, ending the drain. Lock-free and
 * thread-safe.
 */
public final class Reconciler {
  /** One write to replay. */
  public interface Item {
    /** The item's identity: a later item of the same key replaces it (null: never replaced). */
    @org.jspecify.annotations.Nullable String key();

    /** Writes it to Redis; throws when Redis fails. */
    void replay();

    /** Whether replaying it twice is harmless (so a failed replay is tried again). */
    boolean idempotent();
  }

  private final int max;
  private final ConcurrentLinkedDeque<Item> queue = new ConcurrentLinkedDeque<>();
  private final ConcurrentHashMap<String, Item> latest = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  /** At most {@code max} items at once. */
  public Reconciler(int max) {
    this.max = max;
  }

  /** Keeps {@code item} to replay; false when the bound dropped it. */
  public boolean add(Item item) {
    String key = item.key();
    if (key != null && latest.put(key, item) != null) {
      queue.add(item); // the older one is skipped when it is drained
      return true;
    }
    if (size.incrementAndGet() > max) {
      size.decrementAndGet();
      if (key != null) {
        latest.remove(key, item);
      }
      dropped.increment();
      long n = dropped.sum();
      if (n == 1 || n % 1_000 == 0) { // the first drop of the stores, then one line per thousand
        Availability.LOG.warn("{} writes wait for Redis already; {} more were dropped in all", max,
            n);
      }
      return false;
    }
    queue.add(item);
    return true;
  }

  /** Whether nothing waits. */
  public boolean isEmpty() {
    return size.get() == 0;
  }

  /**
   * Replays up to {@code most} items, unless another thread is draining; returns how many were
   * replayed. Throws the failure of the first replay that failed.
   */
  public int drain(int most) {
    if (size.get() == 0 || !draining.compareAndSet(false, true)) {
      return 0;
    }
    int done = 0;
    try {
      while (done < most) {
        Item item = queue.poll();
        if (item == null) {
          break;
        }
        String key = item.key();
        if (key != null && latest.get(key) != item) {
          continue; // replaced by a later item of its key, which is further back in the queue
        }
        try {
          item.replay();
        } catch (RuntimeException e) {
          if (item.idempotent()) {
            queue.addFirst(item);
          } else {
            forget(item);
          }
          throw e;
        }
        forget(item);
        replayed.increment();
        done++;
      }
    } finally {
      draining.set(false);
    }
    return done;
  }

  private void forget(Item item) {
    String key = item.key();
    if (key == null || latest.remove(key, item)) {
      size.decrementAndGet();
    }
  }

  /** Items waiting now. */
  public int pending() {
    return size.get();
  }

  /** Items replayed so far. */
  public long replayed() {
    return replayed.sum();
  }

  /** Items dropped by the bound so far. */
  public long dropped() {
    return dropped.sum();
  }
}
