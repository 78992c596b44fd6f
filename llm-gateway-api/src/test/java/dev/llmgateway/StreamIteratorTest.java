package dev.llmgateway;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.internal.SerialTestExecutor;
import dev.llmgateway.internal.TestSources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  void readsOneElementAtATimeOnTheIteratingThreadWhenThePublisherAllows() {
    List<String> readers = new ArrayList<>();
    TestSources.Counting counting = TestSources.Counting.endless();
    PullPublisher.Source<Integer> source = new PullPublisher.Source<>() {
      @Override
      public Integer next() {
        readers.add(Thread.currentThread().getName());
        return counting.next();
      }

      @Override
      public void close() {
        counting.close();
      }
    };
    try (StreamIterator<Integer> it =
        new StreamIterator<>(PullPublisher.of(() -> source, executor), 4)) {
      assertThat(counting.reads()).as("nothing is read before it is needed").isZero();

      assertThat(it.next()).isZero();
      assertThat(it.next()).isEqualTo(1);

      assertThat(counting.reads()).isEqualTo(2);
      assertThat(readers).containsOnly(Thread.currentThread().getName());
      assertThat(executor.tasks()).as("no hand-off to the executor").isZero();
    }
  }

  @Test
  void keepsAtMostPrefetchElementsInFlightWhenSubscribedAsynchronously() throws Exception {
    int prefetch = 4;
    TestSources.Counting source = TestSources.Counting.endless();
    try (StreamIterator<Integer> it = new StreamIterator<>(
        subscribedOnExecutor(PullPublisher.of(() -> source, executor)), prefetch)) {
      assertThat(it.next()).isZero();
      executor.awaitTasksSoFar(); // the producer has stopped for want of demand

      assertThat(source.reads()).isEqualTo(prefetch);

      assertThat(it.next()).isEqualTo(1); // the second consumed element asks for prefetch / 2 more
      executor.awaitTasksSoFar();

      assertThat(source.reads()).isEqualTo(2 + prefetch);
    }
  }

  @Test
  void switchesToPrefetchOnceAnElementArrivesOnAnotherThread() throws Exception {
    int prefetch = 4;
    TestSources.Counting source = TestSources.Counting.endless();
    BlockingQueue<Runnable> hops = new LinkedBlockingQueue<>();
    try (StreamIterator<Integer> it = new StreamIterator<>(
        requestedVia(hops::add, PullPublisher.of(() -> source, executor)), prefetch)) {
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(it::next);
      // the pull's request(1) did not answer on the iterating thread: it asked for prefetch - 1 more
      Runnable pull = hops.poll(5, SECONDS);
      Runnable rest = hops.poll(5, SECONDS);
      assertThat(pull).isNotNull();
      assertThat(rest).isNotNull();
      pull.run();
      rest.run();

      assertThat(first.get(5, SECONDS)).isZero();
      executor.awaitTasksSoFar();
      assertThat(source.reads()).as("the pulled element plus prefetch - 1").isEqualTo(prefetch);
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

  @ParameterizedTest(name = "pulling on the iterating thread: {0}")
  @ValueSource(booleans = {true, false})
  void closingFromAnotherThreadWakesAWaitingConsumer(boolean pulling) throws Exception {
    TestSources.Blocking source = new TestSources.Blocking();
    StreamIterator<Integer> it = new StreamIterator<>(publisher(source, pulling), 1);
    CompletableFuture<Boolean> hasNext = CompletableFuture.supplyAsync(it::hasNext);
    assertThat(source.reading.await(5, SECONDS)).isTrue();

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

  @ParameterizedTest(name = "pulling on the iterating thread: {0}")
  @ValueSource(booleans = {true, false})
  void interruptWhileWaitingCancelsAndKeepsTheInterruptFlag(boolean pulling) throws Exception {
    TestSources.Blocking source = new TestSources.Blocking();
    StreamIterator<Integer> it = new StreamIterator<>(publisher(source, pulling), 1);
    if (!pulling) {
      assertThat(source.reading.await(5, SECONDS)).isTrue();
    }
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
    assertThat(source.reading.await(5, SECONDS)).isTrue();
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

  /** A publisher over the source that lets the iterator pull, or one that makes it prefetch. */
  private Flow.Publisher<Integer> publisher(PullPublisher.Source<Integer> source, boolean pull) {
    Flow.Publisher<Integer> publisher = PullPublisher.of(() -> source, executor);
    return pull ? publisher : subscribedOnExecutor(publisher);
  }

  /** Calls {@code onSubscribe} on the executor: the iterator keeps prefetch elements in flight. */
  private Flow.Publisher<Integer> subscribedOnExecutor(Flow.Publisher<Integer> publisher) {
    return subscriber -> executor.execute(() -> publisher.subscribe(subscriber));
  }

  /** Passes requests on through {@code hop}, so elements never arrive on the requesting thread. */
  private static Flow.Publisher<Integer> requestedVia(Executor hop,
      Flow.Publisher<Integer> publisher) {
    return subscriber -> publisher.subscribe(new Flow.Subscriber<Integer>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscriber.onSubscribe(new Flow.Subscription() {
          @Override
          public void request(long n) {
            hop.execute(() -> s.request(n));
          }

          @Override
          public void cancel() {
            s.cancel();
          }
        });
      }

      @Override
      public void onNext(Integer item) {
        subscriber.onNext(item);
      }

      @Override
      public void onError(Throwable t) {
        subscriber.onError(t);
      }

      @Override
      public void onComplete() {
        subscriber.onComplete();
      }
    });
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
