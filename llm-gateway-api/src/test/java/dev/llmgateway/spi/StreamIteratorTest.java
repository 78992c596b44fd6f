package dev.llmgateway.spi;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StreamIteratorTest {

  private final SerialTestExecutor executor = new SerialTestExecutor();

  @AfterEach
  void shutDownExecutor() {
    executor.close();
  }

  @Test
  void iteratesAllElements() {
    List<Integer> seen = new ArrayList<>();
    try (StreamIterator<Integer> it =
        new StreamIterator<>(PullPublisher.fromList(List.of(1, 2, 3, 4, 5), executor), 2)) {
      it.forEachRemaining(seen::add);

      assertThat(it.hasNext()).isFalse();
      assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }
    assertThat(seen).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void endsAtOnceOnAnEmptyStream() {
    try (StreamIterator<Integer> it =
        new StreamIterator<>(PullPublisher.fromList(List.of(), executor), 4)) {
      assertThat(it.hasNext()).isFalse();
    }
  }

  @Test
  void keepsAtMostPrefetchElementsInFlight() throws Exception {
    int prefetch = 4;
    TestSources.Counting source = TestSources.Counting.endless();
    try (StreamIterator<Integer> it =
        new StreamIterator<>(PullPublisher.of(() -> source, executor), prefetch)) {
      assertThat(it.next()).isZero();
      executor.awaitTasksSoFar(); // the producer has stopped for want of demand

      assertThat(source.reads()).isEqualTo(prefetch);

      assertThat(it.next()).isEqualTo(1); // the second consumed element asks for prefetch / 2 more
      executor.awaitTasksSoFar();

      assertThat(source.reads()).isEqualTo(2 + prefetch);
    }
  }

  @Test
  void closingMidwayCancelsTheSubscriptionAndEndsTheIteration() throws Exception {
    TestSources.Counting source = TestSources.Counting.endless();
    StreamIterator<Integer> it = new StreamIterator<>(PullPublisher.of(() -> source, executor), 4);
    assertThat(it.next()).isZero();
    assertThat(it.next()).isEqualTo(1);

    it.close();
    executor.awaitTasksSoFar();

    assertThat(source.closes()).isEqualTo(1);
    assertThat(it.hasNext()).isFalse();
    it.close();
    assertThat(source.closes()).isEqualTo(1);
  }

  @Test
  void closingAfterHasNextStillHandsOutThatElementThenEnds() throws Exception {
    TestSources.Counting source = TestSources.Counting.endless();
    StreamIterator<Integer> it = new StreamIterator<>(PullPublisher.of(() -> source, executor), 4);
    assertThat(it.hasNext()).isTrue();

    it.close();

    assertThat(it.next()).isZero();
    assertThat(it.hasNext()).as("ends instead of waiting for a cancelled stream").isFalse();
    executor.awaitTasksSoFar();
    assertThat(source.closes()).isEqualTo(1);
  }

  @Test
  void closingFromAnotherThreadWakesAWaitingConsumer() throws Exception {
    TestSources.Blocking source = new TestSources.Blocking();
    StreamIterator<Integer> it = new StreamIterator<>(PullPublisher.of(() -> source, executor), 1);
    assertThat(source.reading.await(5, SECONDS)).isTrue();
    CompletableFuture<Boolean> hasNext = CompletableFuture.supplyAsync(it::hasNext);

    it.close();

    assertThat(hasNext.get(5, SECONDS)).isFalse();
    assertThat(source.readReturned.await(5, SECONDS)).isTrue();
    assertThat(source.closes()).isEqualTo(1);
  }

  @Test
  void rethrowsARuntimeFailureFromHasNextAsIs() {
    IllegalStateException failure = new IllegalStateException("stream broke");
    try (StreamIterator<Integer> it = new StreamIterator<>(failing(failure), 4)) {
      assertThatThrownBy(it::hasNext).isSameAs(failure);
      assertThat(it.hasNext()).as("the failure ended the stream").isFalse();
    }
  }

  @Test
  void wrapsACheckedFailureInCompletionException() {
    IOException failure = new IOException("connection reset");
    try (StreamIterator<Integer> it = new StreamIterator<>(failing(failure), 4)) {
      assertThatThrownBy(it::hasNext)
          .isInstanceOf(CompletionException.class)
          .hasCause(failure);
    }
  }

  @Test
  void deliversTheElementsBeforeAFailure() {
    IllegalStateException failure = new IllegalStateException("stream broke");
    Flow.Publisher<Integer> publisher = PullPublisher.of(() -> new PullPublisher.Source<Integer>() {
      private int next;

      @Override
      public Integer next() {
        if (next == 2) {
          throw failure;
        }
        return next++;
      }

      @Override
      public void close() {}
    }, executor);
    try (StreamIterator<Integer> it = new StreamIterator<>(publisher, 4)) {
      assertThat(it.next()).isZero();
      assertThat(it.next()).isEqualTo(1);
      assertThatThrownBy(it::hasNext).isSameAs(failure);
    }
  }

  @Test
  void interruptWhileWaitingCancelsAndKeepsTheInterruptFlag() throws Exception {
    TestSources.Blocking source = new TestSources.Blocking();
    StreamIterator<Integer> it = new StreamIterator<>(PullPublisher.of(() -> source, executor), 1);
    assertThat(source.reading.await(5, SECONDS)).isTrue();
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
    Thread consumer = new Thread(() -> {
      try {
        it.hasNext();
        thrown.complete(null);
      } catch (RuntimeException e) {
        thrown.complete(e);
      }
      stillInterrupted.complete(Thread.currentThread().isInterrupted());
    }, "stream-iterator-consumer");
    consumer.setDaemon(true);
    consumer.start();
    awaitWaiting(consumer);

    consumer.interrupt();

    assertThat(thrown.get(5, SECONDS)).isInstanceOf(CancellationException.class);
    assertThat(stillInterrupted.get(5, SECONDS)).as("the interrupt flag stays set").isTrue();
    assertThat(source.readReturned.await(5, SECONDS)).as("the pending read was unblocked").isTrue();
    assertThat(source.closes()).isEqualTo(1);
  }

  @Test
  void rejectsAPrefetchBelowOne() {
    Flow.Publisher<Integer> publisher = PullPublisher.fromList(List.of(1), executor);

    assertThatThrownBy(() -> new StreamIterator<>(publisher, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }

  private Flow.Publisher<Integer> failing(Exception failure) {
    return PullPublisher.<Integer>of(() -> new PullPublisher.Source<Integer>() {
      @Override
      public Integer next() throws Exception {
        throw failure;
      }

      @Override
      public void close() {}
    }, executor);
  }

  /** Spins (without sleeping) until the thread parks, i.e. waits for the next element. */
  private static void awaitWaiting(Thread thread) {
    long deadline = System.nanoTime() + SECONDS.toNanos(5);
    while (thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("%s waits", thread.getName()).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
