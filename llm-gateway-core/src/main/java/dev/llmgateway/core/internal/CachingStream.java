package dev.llmgateway.core.internal;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The cache step's decorator of a streamed miss: events, demand and cancellation pass straight
 * through; when the stream ends with {@link ChatEvent.Completed} (and was not cancelled before),
 * its answer is handed to the cache just before the event goes on, so a caller who saw the end of
 * the stream finds the entry. A stream that ends with {@link ChatEvent.Failed}, an error, or no
 * terminal event at all stores nothing.
 *
 * <p>The answer is taken from the terminal event, which carries the whole answer as a unary call
 * would have returned it; the content events are not accumulated a second time. Requests and
 * cancellation reach upstream on the calling thread, so a source that answers a request on the
 * requesting thread (the iterator's pull mode) still does.
 */
final class CachingStream implements ChatStream, Flow.Subscriber<ChatEvent>, Flow.Subscription {
  private final ChatStream upstream;
  private final Consumer<ChatResponse> store;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private Flow.@Nullable Subscriber<? super ChatEvent> downstream;
  private volatile Flow.@Nullable Subscription subscription;
  private volatile boolean cancelled;

  CachingStream(ChatStream upstream, Consumer<ChatResponse> store) {
    this.upstream = upstream;
    this.store = store;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ChatEvent> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      Streams.rejectSecondSubscriber(subscriber);
      return;
    }
    downstream = subscriber;
    upstream.subscribe(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
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

  @Override
  public void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public void onNext(ChatEvent event) {
    if (event instanceof ChatEvent.Completed c && !cancelled) {
      store.accept(c.response());
    }
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

  private Flow.Subscriber<? super ChatEvent> downstream() {
    Flow.Subscriber<? super ChatEvent> d = downstream;
    if (d == null) {
      throw new IllegalStateException("not subscribed");
    }
    return d;
  }
}
