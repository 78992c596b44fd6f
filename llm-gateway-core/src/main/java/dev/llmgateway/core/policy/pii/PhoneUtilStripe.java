package dev.llmgateway.core.policy.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed stripe of {@link #SIZE} independent {@code PhoneNumberUtil} instances, one picked per
 * scan by the calling thread's id, so that concurrent scans do not share one instance's monitors.
 *
 * <p>Each {@code PhoneNumberUtil} keeps its compiled patterns in two {@code RegexCache}s whose
 * {@code LRUCache} is a synchronized access-ordered {@code LinkedHashMap}, and parsing, validating
 * and matching a number look patterns up there a few dozen times: with the one JVM-wide instance
 * of {@code PhoneNumberUtil.getInstance()} every scan of every thread took the same two monitors
 * (the load runner's lock profile at 64 callers on one core ranked them third). An instance is
 * created on first use of its slot ({@code PhoneNumberUtil.createInstance} with the library's
 * default metadata loader, as {@code getInstance} does) and then loads the metadata of the regions
 * it is asked about; warmed with the default regions one costs about 0.7 MB of retained heap
 * (1.3 MB with every region's metadata loaded), so the stripe costs at most 8 of those, and only
 * as many as distinct slots are used. The instances behave alike (the same metadata), so which
 * one a scan gets never changes what it finds.
 *
 * <p>The size is fixed rather than derived from the processor count: the contention it removes is
 * that of a thread preempted while holding a monitor, which the number of callers drives, and the
 * lock profile was taken pinned to one processor. Thread ids are handed out in sequence, so the
 * threads of a pool created together land in distinct slots. No thread-local state: a thread keeps
 * nothing, it only picks a slot.
 *
 * <p>Thread-safe: a slot is filled once by compare-and-set (a racing loser's instance is dropped).
 */
final class PhoneUtilStripe {

  /** The number of instances: a power of two. */
  static final int SIZE = 8;

  private static final AtomicReferenceArray<PhoneNumberUtil> SLOTS =
      new AtomicReferenceArray<>(SIZE);

  private PhoneUtilStripe() {}

  /** The instance for the calling thread. */
  static PhoneNumberUtil current() {
    return forThread(Thread.currentThread().getId());
  }

  /** The instance for the thread whose id is {@code threadId}. */
  static PhoneNumberUtil forThread(long threadId) {
    int slot = (int) (threadId & (SIZE - 1));
    PhoneNumberUtil util = SLOTS.get(slot);
    if (util == null) {
      PhoneNumberUtil created = PhoneNumberUtil.createInstance(
          DefaultMetadataDependenciesProvider.getInstance().getMetadataLoader());
      util = SLOTS.compareAndExchange(slot, null, created);
      if (util == null) {
        util = created;
      }
    }
    return util;
  }
}
