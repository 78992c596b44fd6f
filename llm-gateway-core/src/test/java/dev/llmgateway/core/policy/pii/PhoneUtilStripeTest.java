package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The phone detector's {@code PhoneNumberUtil} instances: threads in distinct slots of the stripe
 * scan with distinct instances (so they never share an instance's pattern-cache monitors), a
 * thread always with the same one, and every slot finds exactly what one thread alone finds.
 */
@Timeout(60)
class PhoneUtilStripeTest {

  @Test
  void consecutiveThreadIdsGetDistinctInstancesAndTheStripeWrapsAround() {
    Set<PhoneNumberUtil> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    for (long id = 1_000; id < 1_000 + PhoneUtilStripe.SIZE; id++) {
      distinct.add(PhoneUtilStripe.forThread(id));
    }

    assertThat(distinct).hasSize(PhoneUtilStripe.SIZE);
    assertThat(PhoneUtilStripe.forThread(1_000 + PhoneUtilStripe.SIZE))
        .isSameAs(PhoneUtilStripe.forThread(1_000));
    assertThat(distinct).doesNotContain(PhoneNumberUtil.getInstance());
  }

  @Test
  void aThreadAlwaysGetsTheInstanceOfItsSlot() {
    assertThat(PhoneUtilStripe.current()).isSameAs(PhoneUtilStripe.current())
        .isSameAs(PhoneUtilStripe.forThread(Thread.currentThread().getId()));
  }

  @Test
  void twoThreadsInDistinctSlotsScanWithDistinctInstances() throws Exception {
    List<AtomicReference<PhoneNumberUtil>> seen =
        List.of(new AtomicReference<>(), new AtomicReference<>());
    List<Thread> threads = threadsCoveringSlots(2,
        List.of(() -> seen.get(0).set(PhoneUtilStripe.current()),
            () -> seen.get(1).set(PhoneUtilStripe.current())));
    for (Thread thread : threads) {
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(seen.get(0).get()).isNotNull().isNotSameAs(seen.get(1).get())
        .isSameAs(PhoneUtilStripe.forThread(threads.get(0).getId()));
    assertThat(seen.get(1).get()).isNotNull()
        .isSameAs(PhoneUtilStripe.forThread(threads.get(1).getId()));
  }

  @Test
  void everySlotFindsWhatOneThreadFinds() throws Exception {
    PhoneDetector detector =
        new PhoneDetector(PiiScanner.DEFAULT_PHONE_REGIONS, PhoneLeniency.VALID);
    List<String> texts = texts();
    Map<String, List<PiiSpan>> expected = new HashMap<>();
    for (String text : texts) {
      expected.put(text, detector.detect(text));
    }
    int found = 0;
    for (List<PiiSpan> spans : expected.values()) {
      found += spans.size();
    }
    assertThat(found).isGreaterThan(texts.size());

    List<AtomicReference<Throwable>> failures = new ArrayList<>();
    List<Runnable> bodies = new ArrayList<>();
    for (int k = 0; k < PhoneUtilStripe.SIZE; k++) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      failures.add(failure);
      bodies.add(() -> {
        try {
          for (String text : texts) {
            assertThat(detector.detect(text)).as(text).isEqualTo(expected.get(text));
          }
        } catch (Throwable e) {
          failure.set(e);
        }
      });
    }
    List<Thread> threads = threadsCoveringSlots(PhoneUtilStripe.SIZE, bodies);
    for (Thread thread : threads) {
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    for (AtomicReference<Throwable> failure : failures) {
      assertThat(failure.get()).isNull();
    }
  }

  /**
   * {@code count} unstarted threads in pairwise distinct slots, the k-th running {@code
   * bodies[k]} (or nothing when {@code bodies} is shorter): threads are created until each slot
   * wanted has one, and those in a slot already taken are dropped.
   */
  private static List<Thread> threadsCoveringSlots(int count, List<Runnable> bodies) {
    List<Thread> chosen = new ArrayList<>();
    boolean[] taken = new boolean[PhoneUtilStripe.SIZE];
    while (chosen.size() < count) {
      int k = chosen.size();
      Thread thread = new Thread(k < bodies.size() ? bodies.get(k) : () -> { });
      int slot = (int) (thread.getId() & (PhoneUtilStripe.SIZE - 1));
      if (!taken[slot]) {
        taken[slot] = true;
        chosen.add(thread);
      }
    }
    return chosen;
  }

  /** Each default region's example numbers, nationally and internationally formatted. */
  private static List<String> texts() {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    List<String> texts = new ArrayList<>();
    for (String region : PiiScanner.DEFAULT_PHONE_REGIONS) {
      for (PhoneNumberType type : new PhoneNumberType[] {PhoneNumberType.FIXED_LINE,
          PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE}) {
        PhoneNumber example = util.getExampleNumberForType(region, type);
        if (example == null) {
          continue;
        }
        texts.add("call " + util.format(example, PhoneNumberFormat.NATIONAL) + " or "
            + util.format(example, PhoneNumberFormat.INTERNATIONAL) + " today");
        texts.add("(" + util.format(example, PhoneNumberFormat.RFC3966) + ") x12, not 2024-11-05");
      }
    }
    return texts;
  }
}
