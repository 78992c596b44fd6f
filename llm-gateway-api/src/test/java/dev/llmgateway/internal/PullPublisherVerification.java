package dev.llmgateway.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.TestEnvironment.Latch;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.Test;

/**
 * The Reactive Streams TCK against {@link PullPublisher}; subclasses choose the executor it
 * delivers on.
 *
 * <p>Two TCK tests are adapted, not skipped: {@code required_spec109_mayReject...} and {@code
 * optional_spec104_mustSignalOnErrorWhenFails} subscribe to the "failed" publisher and never
 * {@code request}, expecting {@code onError} anyway. A {@link PullPublisher} is lazy by contract
 * (nothing is opened before the first {@code request}, see {@link PullPublisherTest}), so its
 * opener (the only thing that can fail) has not run by then and no publisher built on it could
 * pass them as written. The adapted versions request one element from {@code onSubscribe} and
 * then hold the publisher to the same rules: exactly one {@code onSubscribe}, then exactly one
 * {@code onError} carrying the opener's failure, nothing else.
 */
abstract class PullPublisherVerification extends FlowPublisherVerification<Long> {

  /** Generous timeouts: the build may run on a loaded two-core machine. */
  static final long DEFAULT_TIMEOUT_MILLIS = 500;

  static final long NO_SIGNALS_TIMEOUT_MILLIS = 100;

  private static final String OPEN_FAILURE = "the source cannot be opened";

  private final TestEnvironment env;

  PullPublisherVerification() {
    this(new TestEnvironment(DEFAULT_TIMEOUT_MILLIS, NO_SIGNALS_TIMEOUT_MILLIS));
  }

  private PullPublisherVerification(TestEnvironment env) {
    super(env);
    this.env = env;
  }

  /** The executor the publishers under test deliver on. */
  abstract Executor executor();

  @Override
  public Flow.Publisher<Long> createFlowPublisher(long elements) {
    return PullPublisher.of(() -> new RangeSource(elements), executor());
  }

  @Override
  public Flow.Publisher<Long> createFailedFlowPublisher() {
    return PullPublisher.<Long>of(() -> {
      throw new IllegalStateException(OPEN_FAILURE);
    }, executor());
  }

  /** Adapted, see the class comment: the failure surfaces on the first request. */
  @Override
  @Test
  public void required_spec109_mayRejectCallsToSubscribeIfPublisherIsUnableOrUnwillingToServeThemRejectionMustTriggerOnErrorAfterOnSubscribe()
      throws Throwable {
    failedPublisherSignalsOnErrorAfterOnSubscribeOnFirstRequest();
  }

  /** Adapted, see the class comment: the failure surfaces on the first request. */
  @Override
  @Test
  public void optional_spec104_mustSignalOnErrorWhenFails() throws Throwable {
    failedPublisherSignalsOnErrorAfterOnSubscribeOnFirstRequest();
  }

  private void failedPublisherSignalsOnErrorAfterOnSubscribeOnFirstRequest() throws Throwable {
    Latch onSubscribeLatch = new Latch(env);
    Latch onErrorLatch = new Latch(env);
    createFailedPublisher().subscribe(new TestEnvironment.TestSubscriber<Long>(env) {
      @Override
      public void onSubscribe(Subscription subscription) {
        onSubscribeLatch.assertOpen("Only one onSubscribe call expected");
        onSubscribeLatch.close();
        subscription.request(1);
      }

      @Override
      public void onError(Throwable cause) {
        onSubscribeLatch.assertClosed("onSubscribe should be called prior to onError always");
        onErrorLatch.assertOpen("Only one onError call expected");
        if (!(cause instanceof IllegalStateException) || !OPEN_FAILURE.equals(cause.getMessage())) {
          env.flop(cause, "onError should carry the opener's failure, was " + cause);
        }
        onErrorLatch.close();
      }
    });
    onSubscribeLatch.expectClose("Should have received onSubscribe");
    onErrorLatch.expectClose("Should have received onError after the first request");
    env.verifyNoAsyncErrors();
  }

  /** Produces 0, 1, ... up to {@code elements} (exclusive); Long.MAX_VALUE means endless. */
  private static final class RangeSource implements PullPublisher.Source<Long> {
    private final long elements;
    private long next;

    RangeSource(long elements) {
      this.elements = elements;
    }

    @Override
    public @Nullable Long next() {
      return next < elements ? next++ : null;
    }

    @Override
    public void close() {}
  }
}
