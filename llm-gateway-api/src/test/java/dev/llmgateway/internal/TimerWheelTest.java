package dev.llmgateway.internal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gateway's timer wheel, with real waits of at most 40 ms. */
@Timeout(60)
class TimerWheelTest {
  private final TimerWheel wheel = new TimerWheel("timer-wheel-test");

  @AfterEach
  void close() {
    wheel.close();
  }

  @Test
  void aTimerFiresNoEarlierThanItsDelay() throws Exception {
    CountDownLatch fired = new CountDownLatch(1);
    long start = System.nanoTime();
    long[] firedAt = new long[1];

    wheel.schedule(() -> {
      firedAt[0] = System.nanoTime();
      fired.countDown();
    }, MILLISECONDS.toNanos(30));

    assertThat(fired.await(5, SECONDS)).isTrue();
    assertThat(firedAt[0] - start).isGreaterThanOrEqualTo(MILLISECONDS.toNanos(30));
  }

  @Test
  void aCancelledTimerNeverFiresWhileLaterOnesDo() throws Exception {
    AtomicInteger cancelledRuns = new AtomicInteger();
    CountDownLatch later = new CountDownLatch(1);

    wheel.schedule(cancelledRuns::incrementAndGet, MILLISECONDS.toNanos(10)).cancel();
    wheel.schedule(later::countDown, MILLISECONDS.toNanos(40));

    assertThat(later.await(5, SECONDS)).isTrue();
    assertThat(cancelledRuns).hasValue(0);
  }

  /**
   * A cancelled timer lets go of its task at once, though its entry waits in the wheel until its
   * bucket comes round: a call's timers (minutes long) must not keep the call alive after it ended.
   */
  @Test
  void aCancelledTimerLetsGoOfItsTaskBeforeItsBucketComesRound() {
    Object[] call = {new byte[1024]};
    WeakReference<Object> held = new WeakReference<>(call[0]);
    TimerWheel.Timer timer = scheduleHolding(call);

    timer.cancel();

    for (int i = 0; i < 50 && held.get() != null; i++) {
      System.gc();
    }
    assertThat(held.get()).as("the cancelled task's captured state").isNull();
  }

  /** A timer given an executor is handed to it; an executor that refuses drops it quietly. */
  @Test
  void aTimerGivenAnExecutorIsHandedToItAndDroppedWhenRefused() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    List<Runnable> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch refused = new CountDownLatch(1);

    wheel.schedule(ran::countDown, MILLISECONDS.toNanos(5), task -> {
      handed.add(task);
      task.run();
    });
    wheel.schedule(() -> { }, MILLISECONDS.toNanos(5), task -> {
      refused.countDown();
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    });
    CountDownLatch later = new CountDownLatch(1);
    wheel.schedule(later::countDown, MILLISECONDS.toNanos(20));

    assertThat(ran.await(5, SECONDS)).isTrue();
    assertThat(handed).hasSize(1);
    assertThat(refused.await(5, SECONDS)).isTrue();
    assertThat(later.await(5, SECONDS)).as("the wheel goes on after a refusal").isTrue();
  }

  /** A ten-minute timer whose task holds what {@code holder} held, which it then forgets. */
  private TimerWheel.Timer scheduleHolding(Object[] holder) {
    Object captured = holder[0];
    holder[0] = null;
    return wheel.schedule(() -> assertThat(captured).isNotNull(), SECONDS.toNanos(600));
  }

  @Test
  void timersFromManyThreadsAllFireOnceAndAZeroDelayFiresAtOnce() throws Exception {
    int threads = 8;
    int each = 500;
    CountDownLatch all = new CountDownLatch(threads * each);
    AtomicInteger runs = new AtomicInteger();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          wheel.schedule(() -> {
            runs.incrementAndGet();
            all.countDown();
          }, MILLISECONDS.toNanos(i % 20));
        }
      });
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) {
      thread.join();
    }

    assertThat(all.await(5, SECONDS)).isTrue();
    assertThat(runs).hasValue(threads * each);
  }

  /**
   * Threads released together push timers onto the wheel's inbound stack and cancel a seeded
   * random half of them at once, while the wheel takes the stack: every timer not cancelled fires
   * exactly once, none cancelled before it was taken fires, for 20 seeded rounds.
   */
  @Test
  void concurrentPushesAndCancelsLoseNoTimerAndFireNoneTwice() throws Exception {
    int threads = 8;
    int each = 1_000;
    for (long seed = 1; seed <= 20; seed++) {
      AtomicIntegerArray fired = new AtomicIntegerArray(threads * each);
      boolean[] cancelled = new boolean[threads * each];
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> started = new ArrayList<>();
      int expected = 0;
      for (int t = 0; t < threads; t++) {
        SplittableRandom random = new SplittableRandom(seed * 31 + t);
        int base = t * each;
        for (int i = 0; i < each; i++) {
          cancelled[base + i] = random.nextBoolean();
          expected += cancelled[base + i] ? 0 : 1;
        }
        Thread thread = new Thread(() -> {
          awaitQuietly(start);
          for (int i = 0; i < each; i++) {
            int id = base + i;
            TimerWheel.Timer timer = wheel.schedule(() -> fired.incrementAndGet(id), 0);
            if (cancelled[id]) {
              timer.cancel();
            }
          }
        });
        thread.start();
        started.add(thread);
      }
      start.countDown();
      for (Thread thread : started) {
        thread.join();
      }
      CountDownLatch drained = new CountDownLatch(1);
      wheel.schedule(drained::countDown, 0);
      assertThat(drained.await(5, SECONDS)).isTrue();
      int sum = 0;
      for (int id = 0; id < fired.length(); id++) {
        assertThat(fired.get(id)).as("timer %d, seed %d", id, seed).isLessThanOrEqualTo(1);
        sum += fired.get(id);
      }
      // a timer cancelled after the wheel took it may already have fired: only the uncancelled
      // ones are certain
      for (int id = 0; id < fired.length(); id++) {
        if (!cancelled[id]) {
          assertThat(fired.get(id)).as("uncancelled timer %d, seed %d", id, seed).isEqualTo(1);
        }
      }
      assertThat(sum).isGreaterThanOrEqualTo(expected);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anIdleWheelWakesForANewTimer() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    wheel.schedule(first::countDown, 0);
    assertThat(first.await(5, SECONDS)).isTrue();
    // nothing pending now: the wheel parks until the next timer arrives

    CountDownLatch second = new CountDownLatch(1);
    wheel.schedule(second::countDown, MILLISECONDS.toNanos(5));

    assertThat(second.await(5, SECONDS)).isTrue();
  }

  @Test
  void aThrowingTaskDoesNotStopTheWheel() throws Exception {
    CountDownLatch after = new CountDownLatch(1);
    wheel.schedule(() -> {
      throw new IllegalStateException("a bug in a timer task");
    }, 0);
    wheel.schedule(after::countDown, MILLISECONDS.toNanos(10));

    assertThat(after.await(5, SECONDS)).isTrue();
  }
}
