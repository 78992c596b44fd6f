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

  /**
   * Timers arrive from several threads while the wheel sleeps towards a later wake-up; one due
   * earlier must wake it. The wheel looks an hour ahead here, so a lost wake-up hangs the round
   * (and fails its latch) instead of firing 100 ms late: 300 seeded rounds, each timer fired
   * once and never early.
   */
  @Test
  void aTimerDueBeforeTheWheelsNextWakeUpWakesIt() throws Exception {
    try (TimerWheel sleepy = new TimerWheel("timer-wheel-sleepy", SECONDS.toNanos(3_600))) {
      int threads = 4;
      int each = 25;
      for (long seed = 1; seed <= 300; seed++) {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(threads * each);
        AtomicInteger early = new AtomicInteger();
        AtomicIntegerArray fired = new AtomicIntegerArray(threads * each);
        // a far timer keeps the wheel out of its idle park, sleeping towards its lookahead
        TimerWheel.Timer far = sleepy.schedule(() -> { }, SECONDS.toNanos(600));
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          SplittableRandom random = new SplittableRandom(seed * 131 + t);
          int base = t * each;
          Thread thread = new Thread(() -> {
            awaitQuietly(start);
            for (int i = 0; i < each; i++) {
              int id = base + i;
              long delay = random.nextLong(MILLISECONDS.toNanos(6));
              long due = System.nanoTime() + delay;
              sleepy.schedule(() -> {
                if (System.nanoTime() < due) {
                  early.incrementAndGet();
                }
                fired.incrementAndGet(id);
                all.countDown();
              }, delay);
              if (random.nextInt(4) == 0) {
                Thread.yield();
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
        assertThat(all.await(10, SECONDS)).as("every timer fired, seed %d", seed).isTrue();
        far.cancel();
        assertThat(early).as("timers fired early, seed %d", seed).hasValue(0);
        for (int id = 0; id < fired.length(); id++) {
          assertThat(fired.get(id)).as("timer %d, seed %d", id, seed).isEqualTo(1);
        }
      }
    }
  }

  /**
   * The window the random rounds above rarely hit, made certain: a timer pushed after the wheel
   * took its inbound stack and before it published its next wake-up (an hour ahead here) is taken
   * by the wheel's last look before it parks, for 50 rounds.
   */
  @Test
  void aTimerPushedWhileTheWheelDecidesItsWakeUpIsNotLost() throws Exception {
    try (TimerWheel sleepy = new TimerWheel("timer-wheel-window", SECONDS.toNanos(3_600))) {
      TimerWheel.Timer far = sleepy.schedule(() -> { }, SECONDS.toNanos(600));
      for (int round = 0; round < 50; round++) {
        CountDownLatch fired = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        sleepy.beforePublish = () -> {
          if (armed.compareAndSet(true, false)) {
            sleepy.schedule(fired::countDown, MILLISECONDS.toNanos(2));
          }
        };
        // a timer the wheel sleeps towards: it wakes by its clock, so its last published wake-up
        // is already past when the hook pushes, and that push unparks nobody
        sleepy.schedule(() -> armed.set(true), MILLISECONDS.toNanos(1));

        assertThat(fired.await(5, SECONDS)).as("round %d", round).isTrue();
      }
      far.cancel();
    }
  }

  /**
   * A busy gateway's timers are seconds long and cancelled within milliseconds: the wheel holding
   * only such timers wakes about every {@link TimerWheel#LOOKAHEAD_NANOS}, not every tick (60
   * wake-ups in 300 ms).
   */
  @Test
  void farTimersDoNotWakeTheWheelEveryTick() throws Exception {
    for (int i = 0; i < 100; i++) {
      wheel.schedule(() -> { }, SECONDS.toNanos(30)).cancel();
      wheel.schedule(() -> { }, SECONDS.toNanos(60));
    }
    CountDownLatch settled = new CountDownLatch(1);
    wheel.schedule(settled::countDown, MILLISECONDS.toNanos(20));
    assertThat(settled.await(5, SECONDS)).isTrue();
    long before = wheel.wakeUps();
    CountDownLatch done = new CountDownLatch(1);

    wheel.schedule(done::countDown, MILLISECONDS.toNanos(300));

    assertThat(done.await(5, SECONDS)).isTrue();
    assertThat(wheel.wakeUps() - before).as("wake-ups in 300 ms").isLessThanOrEqualTo(12);
  }
}
