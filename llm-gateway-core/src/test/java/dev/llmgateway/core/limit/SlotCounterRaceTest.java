package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lock-free concurrency slots under racing takes, releases, renewals and retirement: never
 * more leases granted than the limit at any moment, the count back to the leases held at rest,
 * and a retired counter granting nothing, for 2,000 seeded rounds.
 */
@Timeout(120)
class SlotCounterRaceTest {
  private static final int LIMIT = 3;

  @Test
  void racingTakesNeverGrantMoreThanTheLimitAndTheCountStaysTrue() throws Exception {
    for (long seed = 1; seed <= 2_000; seed++) {
      SlotCounter slots = new SlotCounter();
      AtomicInteger granted = new AtomicInteger();
      AtomicInteger over = new AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean retired = new java.util.concurrent.atomic.AtomicBoolean();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        SplittableRandom random = new SplittableRandom(seed * 7 + t);
        int thread = t;
        threads.add(new Thread(() -> {
          awaitQuietly(start);
          for (int i = 0; i < 20; i++) {
            String lease = "call-" + thread + "-" + random.nextInt(3);
            LimitRequest request = LimitRequest.slot(
                new LimitCounter("conc", Scope.KEY, "acme", "k1"), LIMIT, lease, 1_000_000);
            long taken = slots.take(request, 0);
            if (taken == Counter.DEAD) {
              continue;
            }
            if (taken == 1) {
              if (granted.incrementAndGet() > LIMIT) {
                over.incrementAndGet();
              }
              if (random.nextInt(8) == 0) {
                slots.take(request, 0); // a renewal while held
              }
              granted.decrementAndGet();
              slots.release(lease);
            }
          }
        }));
      }
      Thread retirer = new Thread(() -> {
        awaitQuietly(start);
        if (slots.retireIfIdle(0)) {
          retired.set(true);
        }
      });
      threads.forEach(Thread::start);
      retirer.start();
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      retirer.join();
      assertThat(over).as("grants over the limit, seed %d", seed).hasValue(0);
      assertThat(slots.held()).as("leases at rest, seed %d", seed).isZero();
      assertThat(slots.claimed()).as("count at rest, seed %d", seed)
          .isEqualTo(retired.get() ? -1 : 0);
    }
  }

  @Test
  void expiredLeasesGiveTheirSlotsBackWhenFull() {
    SlotCounter slots = new SlotCounter();
    LimitCounter key = new LimitCounter("conc", Scope.KEY, "acme", "k1");
    for (int i = 0; i < LIMIT; i++) {
      assertThat(slots.take(LimitRequest.slot(key, LIMIT, "old-" + i, 100), 0)).isEqualTo(1);
    }
    assertThat(Counter.isRefusal(slots.take(LimitRequest.slot(key, LIMIT, "new", 500), 50)))
        .as("full, none expired yet").isTrue();

    assertThat(slots.take(LimitRequest.slot(key, LIMIT, "new", 500), 100)).isEqualTo(1);
    assertThat(slots.held()).isEqualTo(1);
    assertThat(slots.claimed()).isEqualTo(1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
