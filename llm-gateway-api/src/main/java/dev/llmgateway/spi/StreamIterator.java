package dev.llmgateway.spi;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * A blocking, closeable iterator over a {@link Flow.Publisher}, for callers who prefer a loop to a
 * subscriber. It keeps at most {@code prefetch} elements in flight (requesting more as they are
 * consumed), so a slow loop slows the producer. {@link #close()} (or leaving a try-with-resources
 * block) cancels the subscription, which cancels the HTTP call behind it.
 *
 * <p>Use from one thread; {@link #close()} may be called from any thread. An {@code onError} from
 * the publisher is rethrown by {@link #hasNext()} (wrapped in {@link CompletionException} when
 * checked).
 *
 * @param <T> the element type
 */
public final class StreamIterator<T> implements Iterator<T>, AutoCloseable {
  private static final Object COMPLETE = new Object();

  private final BlockingQueue<Object> queue;
  private final int prefetch;
  private final int replenish;
  private final Subscriber subscriber = new Subscriber();
  private volatile boolean closed;
  private @Nullable Object lookahead;
  private boolean finished;
  private int consumed;

  /** Subscribes to the publisher, keeping at most {@code prefetch} elements in flight. */
  public StreamIterator(Flow.Publisher<? extends T> publisher, int prefetch) {
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be >= 1, was " + prefetch);
    }
    this.queue = new ArrayBlockingQueue<>(prefetch + 1);
    this.replenish = Math.max(1, prefetch / 2);
    this.prefetch = prefetch;
    Objects.requireNonNull(publisher, "publisher").subscribe(subscriber);
  }

  @Override
  public boolean hasNext() {
    if (lookahead != null) {
      return true;
    }
    if (finished) {
      return false;
    }
    Object o;
    try {
      o = queue.take();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the next stream element");
    }
    if (o == COMPLETE) {
      finished = true;
      return false;
    }
    if (o instanceof Failure f) {
      finished = true;
      Throwable t = f.error;
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new CompletionException(t);
    }
    lookahead = o;
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the stream has ended");
    }
    Object o = lookahead;
    lookahead = null;
    if (++consumed == replenish) {
      consumed = 0;
      subscriber.request(replenish);
    }
    return (T) o;
  }

  /**
   * Cancels the subscription; the iteration then ends, after the element a preceding {@link
   * #hasNext()} already announced, if any.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    subscriber.cancel();
    if (!finished) {
      // Also when an element waits in lookahead: without the end marker, the hasNext() after it
      // would wait forever for a stream that was cancelled.
      queue.clear();
      queue.offer(COMPLETE);
    }
  }

  private record Failure(Throwable error) {}

  private final class Subscriber implements Flow.Subscriber<T> {
    private volatile Flow.@Nullable Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      if (subscription != null) {
        s.cancel();
        return;
      }
      subscription = s;
      if (closed) {
        s.cancel();
      } else {
        s.request(prefetch);
      }
    }

    void request(long n) {
      Flow.Subscription s = subscription;
      if (s != null && !closed) {
        s.request(n);
      }
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    @Override
    public void onNext(T item) {
      if (!closed && !queue.offer(item)) {
        cancel();
        queue.clear();
        queue.offer(new Failure(new IllegalStateException(
            "publisher sent more than was requested (Reactive Streams rule 1.1)")));
      }
    }

    @Override
    public void onError(Throwable error) {
      if (!closed) {
        queue.offer(new Failure(error));
      }
    }

    @Override
    public void onComplete() {
      if (!closed) {
        queue.offer(COMPLETE);
      }
    }
  }
}
