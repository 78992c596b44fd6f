package dev.llmgateway.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PullPublisherTest {

  private final SerialTestExecutor executor = new SerialTestExecutor();

  @AfterEach
  void shutDownExecutor() {
    executor.close();
  }

  @Test
  void requestOneReadsTheSourceOnce() throws Exception {
    TestSources.Counting source = TestSources.Counting.endless();
    Recorder subscriber = new Recorder(1);
    PullPublisher.of(() -> source, executor).subscribe(subscriber);

    subscriber.subscription().request(1);
    subscriber.awaitDelivered();
    executor.awaitTasksSoFar(); // the drain loop has stopped: there is no demand left

    assertThat(subscriber.items).containsExactly(0);
    assertThat(source.reads()).isEqualTo(1);
    assertThat(source.closes()).isZero();
  }

  @Test
  void readsOnlyAsMuchAsIsRequested() throws Exception {
    TestSources.Counting source = TestSources.Counting.endless();
    Recorder subscriber = new Recorder(3);
    PullPublisher.of(() -> source, executor).subscribe(subscriber);

    subscriber.subscription().request(1);
    subscriber.subscription().request(2);
    subscriber.awaitDelivered();
    executor.awaitTasksSoFar();

    assertThat(subscriber.items).containsExactly(0, 1, 2);
    assertThat(source.reads()).isEqualTo(3);
  }

  @Test
  void opensTheSourceOnlyOnTheFirstRequest() throws Exception {
    AtomicInteger opens = new AtomicInteger();
    Recorder subscriber = new Recorder(1);
    PullPublisher<Integer> publisher = PullPublisher.of(() -> {
      opens.incrementAndGet();
      return TestSources.Counting.endless();
    }, executor);

    publisher.subscribe(subscriber);
    executor.awaitTasksSoFar();
    assertThat(opens).hasValue(0);

    subscriber.subscription().request(1);
    subscriber.awaitDelivered();
    assertThat(opens).hasValue(1);
  }

  @Test
  void eachSubscriberGetsItsOwnSource() throws Exception {
    AtomicInteger opens = new AtomicInteger();
    PullPublisher<Integer> publisher = PullPublisher.of(() -> {
      opens.incrementAndGet();
      return TestSources.Counting.of(2);
    }, executor);
    Recorder first = new Recorder(2);
    Recorder second = new Recorder(2);

    publisher.subscribe(first);
    publisher.subscribe(second);
    first.subscription().request(Long.MAX_VALUE);
    second.subscription().request(Long.MAX_VALUE);
    first.awaitTerminated();
    second.awaitTerminated();

    assertThat(opens).hasValue(2);
    assertThat(first.items).containsExactly(0, 1);
    assertThat(second.items).containsExactly(0, 1);
  }

  @Test
  void cancelClosesTheSourceOnceAndUnblocksAPendingRead() throws Exception {
    TestSources.Blocking source = new TestSources.Blocking();
    Recorder subscriber = new Recorder(1);
    PullPublisher.of(() -> source, executor).subscribe(subscriber);
    subscriber.subscription().request(1);
    assertThat(source.reading.await(5, SECONDS)).as("the source is being read").isTrue();

    subscriber.subscription().cancel();

    assertThat(source.readReturned.await(5, SECONDS)).as("the pending read returned").isTrue();
    subscriber.subscription().cancel();
    executor.awaitTasksSoFar();
    assertThat(source.closes()).isEqualTo(1);
    assertThat(subscriber.items).isEmpty();
    assertThat(subscriber.error).as("a cancelled subscriber hears nothing more").isNull();
    assertThat(subscriber.completed).isFalse();
  }

  @Test
  void cancelBeforeTheFirstRequestNeverOpensTheSource() throws Exception {
    AtomicInteger opens = new AtomicInteger();
    Recorder subscriber = new Recorder(1);
    PullPublisher.of(() -> {
      opens.incrementAndGet();
      return TestSources.Counting.endless();
    }, executor).subscribe(subscriber);

    subscriber.subscription().cancel();
    subscriber.subscription().request(1);
    executor.awaitTasksSoFar();

    assertThat(opens).hasValue(0);
    assertThat(subscriber.items).isEmpty();
  }

  @Test
  void closesTheSourceOnceOnCompletion() throws Exception {
    TestSources.Counting source = TestSources.Counting.of(2);
    Recorder subscriber = new Recorder(2);
    PullPublisher.of(() -> source, executor).subscribe(subscriber);

    subscriber.subscription().request(Long.MAX_VALUE);
    subscriber.awaitTerminated();
    subscriber.subscription().cancel();

    assertThat(subscriber.items).containsExactly(0, 1);
    assertThat(subscriber.completed).isTrue();
    assertThat(source.closes()).isEqualTo(1);
  }

  @Test
  void closesTheSourceOnceWhenReadingFails() throws Exception {
    IOException failure = new IOException("connection reset");
    AtomicInteger closes = new AtomicInteger();
    Recorder subscriber = new Recorder(0);
    PullPublisher.of(() -> new PullPublisher.Source<Integer>() {
      @Override
      public Integer next() throws IOException {
        throw failure;
      }

      @Override
      public void close() {
        closes.incrementAndGet();
      }
    }, executor).subscribe(subscriber);

    subscriber.subscription().request(1);
    subscriber.awaitTerminated();
    subscriber.subscription().cancel();

    assertThat(subscriber.error).isSameAs(failure);
    assertThat(closes).hasValue(1);
  }

  @Test
  void signalsAFailingOpenerAsOnError() throws Exception {
    IOException failure = new IOException("connection refused");
    Recorder subscriber = new Recorder(0);
    PullPublisher.<Integer>of(() -> {
      throw failure;
    }, executor).subscribe(subscriber);

    subscriber.subscription().request(1);
    subscriber.awaitTerminated();

    assertThat(subscriber.error).isSameAs(failure);
  }

  @Test
  void requestsMadeInOnSubscribeAreServedOnlyAfterItReturns() {
    Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    AtomicInteger tasksQueuedDuringOnSubscribe = new AtomicInteger(-1);
    Recorder subscriber = new Recorder(1) {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        super.onSubscribe(subscription);
        subscription.request(1);
        tasksQueuedDuringOnSubscribe.set(tasks.size());
      }
    };

    PullPublisher.fromList(List.of(7), tasks::add).subscribe(subscriber);

    assertThat(tasksQueuedDuringOnSubscribe)
        .as("no drain may run (on another thread) while onSubscribe runs")
        .hasValue(0);
    assertThat(tasks).hasSize(1);
    tasks.remove().run();
    assertThat(subscriber.items).containsExactly(7);
  }

  @Test
  void aSubscriberThrowingFromOnNextIsCancelledAndItsSourceClosed() throws Exception {
    TestSources.Counting source = TestSources.Counting.endless();
    IllegalStateException bug = new IllegalStateException("bug in onNext");
    CompletableFuture<Throwable> uncaught = new CompletableFuture<>();
    Executor threadPerTask = task -> {
      Thread t = new Thread(task, "pull-publisher-test");
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> uncaught.complete(e));
      t.start();
    };
    Recorder subscriber = new Recorder(0) {
      @Override
      public void onNext(Integer item) {
        throw bug;
      }
    };
    PullPublisher.of(() -> source, threadPerTask).subscribe(subscriber);

    subscriber.subscription().request(1);

    assertThat(uncaught.get(5, SECONDS)).isSameAs(bug);
    assertThat(source.closes()).isEqualTo(1);
    subscriber.subscription().request(1);
    assertThat(source.reads()).isEqualTo(1);
    assertThat(subscriber.error).isNull();
  }

  @Test
  void rejectsANullSubscriber() {
    PullPublisher<Integer> publisher = PullPublisher.fromList(List.of(1), executor);

    assertThatThrownBy(() -> publisher.subscribe(null)).isInstanceOf(NullPointerException.class);
  }

  /** Records the signals it gets; never requests on its own. */
  private static class Recorder implements Flow.Subscriber<Integer> {
    final List<Integer> items = new CopyOnWriteArrayList<>();
    volatile @Nullable Throwable error;
    volatile boolean completed;
    private final CountDownLatch delivered;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile Flow.@Nullable Subscription subscription;

    Recorder(int expectedItems) {
      this.delivered = new CountDownLatch(expectedItems);
    }

    Flow.Subscription subscription() {
      Flow.Subscription s = subscription;
      assertThat(s).as("onSubscribe was called").isNotNull();
      return s;
    }

    void awaitDelivered() throws InterruptedException {
      assertThat(delivered.await(5, SECONDS)).as("the expected items arrived").isTrue();
    }

    void awaitTerminated() throws InterruptedException {
      assertThat(terminated.await(5, SECONDS)).as("the stream terminated").isTrue();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
    }

    @Override
    public void onNext(Integer item) {
      items.add(item);
      delivered.countDown();
    }

    @Override
    public void onError(Throwable throwable) {
      error = throwable;
      terminated.countDown();
    }

    @Override
    public void onComplete() {
      completed = true;
      terminated.countDown();
    }
  }
}
