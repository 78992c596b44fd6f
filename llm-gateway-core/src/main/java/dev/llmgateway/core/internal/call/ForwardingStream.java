package dev.llmgateway.core.internal.call;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatStream;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A stage between a stream and its one subscriber that passes events, demand and cancellation
 * straight through; subclasses look at what passes. Requests and cancellation reach upstream on
 * the calling thread, so a source that answers a request on the requesting thread (the
 * iterator's pull mode) still does. A second subscriber is rejected.
 */
public abstract class ForwardingStream
    implements ChatStream, Flow.Subscriber<ChatEvent>, Flow.Subscription {
  private final ChatStream upstream;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private Flow.@Nullable Subscriber<? super ChatEvent> downstream;
  private volatile Flow.@Nullable Subscription subscription;

  public ForwardingStream(ChatStream upstream) {
    this.upstream = upstream;
  }

  @Override
  public final void subscribe(Flow.Subscriber<? super ChatEvent> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      Streams.rejectSecondSubscriber(subscriber);
      return;
    }
    downstream = subscriber;
    if (!starting()) {
      return; // the stage answered the subscriber itself
    }
    upstream.subscribe(this);
  }

  @Override
  public final void onSubscribe(Flow.Subscription s) {
    if (subscription != null) {
      s.cancel();
      return;
    }
    subscription = s;
    downstream().onSubscribe(this);
  }

  @Override
  public void request(long n) {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.request(n);
    }
  }

  /**
   * Called once, when the one subscriber arrives, before upstream is subscribed; a stage that
   * refuses to start answers the subscriber itself (through {@link #downstream()}) and returns
   * false.
   */
  protected boolean starting() {
    return true;
  }

  /** Cancels upstream; subclasses that override {@link #cancel()} call this. */
  public final void cancelUpstream() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public void cancel() {
    cancelUpstream();
  }

  @Override
  public void onNext(ChatEvent event) {
    downstream().onNext(event);
  }

  @Override
  public void onError(Throwable t) {
    downstream().onError(t);
  }

  @Override
  public void onComplete() {
    downstream().onComplete();
  }

  /** The subscriber events go to. */
  public final Flow.Subscriber<? super ChatEvent> downstream() {
    Flow.Subscriber<? super ChatEvent> d = downstream;
    if (d == null) {
      throw new IllegalStateException("not subscribed");
    }
    return d;
  }
}
