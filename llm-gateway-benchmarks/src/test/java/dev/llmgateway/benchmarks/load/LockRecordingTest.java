package dev.llmgateway.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Usage;
import dev.llmgateway.benchmarks.load.LockProfile.Kind;
import dev.llmgateway.benchmarks.load.LockProfile.Wait;
import dev.llmgateway.benchmarks.load.LockProfile.Where;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JFR recording of two threads contending a monitor and then a lock inside one marked
 * round, read back by {@link LockProfile}. No sleeps: latches order the threads, and the main
 * thread spins until the waiter is blocked before letting the owner go.
 */
@Timeout(60)
class LockRecordingTest {
  private static final String USER = LockRecordingTest.class.getName() + ".";

  @Test
  void contendedMonitorAndParkInsideAMeasuredRoundAreReadBackWithTheirUser(@TempDir Path dir)
      throws Exception {
    Usage monitor = Usage.of(1, 2);
    ReentrantLock lock = new ReentrantLock();
    Path file = dir.resolve("locks.jfr");
    LockProfile profile;
    try (LockRecording recording = LockRecording.start(Duration.ZERO)) {
      RoundEvent round = new RoundEvent("chat", 64, "B");
      round.begin();
      contendMonitor(monitor);
      contendLock(lock);
      round.commit();
      profile = recording.stop(file);
    }

    Where b = new Where("chat", 64, "B");
    assertThat(Files.size(file)).isPositive();
    assertThat(profile.covered()).containsExactly(b);
    assertThat(profile.waits(b)).anySatisfy(w -> assertMonitorOnUsage(w))
        .anySatisfy(w -> {
          assertThat(w.kind()).isEqualTo(Kind.PARK);
          assertThat(w.lockClass()).isEqualTo(ReentrantLock.class.getName() + "$NonfairSync");
          assertThat(w.user()).startsWith(USER);
        });
    assertThat(profile.monitors(b)).extracting(LockProfile.Row::name)
        .contains(Usage.class.getName());
    assertThat(LockProfile.gatewayOwned(Usage.class.getName())).isTrue();
  }

  private static void assertMonitorOnUsage(Wait w) {
    assertThat(w.kind()).isEqualTo(Kind.MONITOR);
    assertThat(w.lockClass()).isEqualTo(Usage.class.getName());
    assertThat(w.user()).startsWith(USER);
    assertThat(w.nanos()).isNotNegative();
  }

  /** The owner holds the monitor until the waiter is blocked on it. */
  private static void contendMonitor(Object monitor) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger entered = new AtomicInteger();
    Thread owner = new Thread(() -> {
      synchronized (monitor) {
        held.countDown();
        await(release);
      }
    }, "monitor-owner");
    Thread waiter = new Thread(() -> {
      synchronized (monitor) {
        entered.incrementAndGet();
      }
    }, "monitor-waiter");
    owner.start();
    held.await();
    waiter.start();
    awaitState(waiter, Thread.State.BLOCKED);
    release.countDown();
    owner.join();
    waiter.join();
    assertThat(entered).hasValue(1);
  }

  /** The owner holds the lock until the waiter is parked on it. */
  private static void contendLock(ReentrantLock lock) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread owner = new Thread(() -> {
      lock.lock();
      try {
        held.countDown();
        await(release);
      } finally {
        lock.unlock();
      }
    }, "lock-owner");
    Thread waiter = new Thread(() -> {
      lock.lock();
      lock.unlock();
    }, "lock-waiter");
    owner.start();
    held.await();
    waiter.start();
    awaitState(waiter, Thread.State.WAITING);
    release.countDown();
    owner.join();
    waiter.join();
  }

  private static void awaitState(Thread t, Thread.State state) {
    while (t.getState() != state) {
      Thread.onSpinWait();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
