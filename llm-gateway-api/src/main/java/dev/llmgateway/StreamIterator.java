package dev.llmgateway;

import dev.llmgateway.internal.PullPublisher;
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
 * <p>While the publisher answers a request on the requesting thread (a {@link PullPublisher}
 * does, for this iterator), the iterator asks for one element at a time when it needs one, so the
 * source is read on the iterating thread with no hand-off between threads. Once an element does
 * not arrive synchronously, it keeps {@code prefetch} elements in flight instead.
 *
 * <p>Use from one thread; {@link #close()} may be called from any thread. An {@code onError} from
 * the publisher is rethrown by {@link #hasNext()} (wrapped in {@link CompletionException} when
 * checked). An interrupt while waiting closes the iterator and throws {@link
 * CancellationException} with the interrupt flag kept; while the source is read on this thread,
 * the read sees the interrupt only if the source responds to interrupts (a socket read does not;
 * {@link #close()} from another thread always ends it).
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
  private final Thread owner = Thread.currentThread();
  private volatile boolean subscribing = true;
  private volatile boolean pulling; // set once by a synchronous onSubscribe; then owner only
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
    subscribing = false;
  }

  @Override
  public boolean hasNext() {
    if (lookahead != null) {
      return true;
    }
    if (finished) {
      return false;
    }
    Object o = queue.poll();
    if (o == null && pulling) {
      o = pull();
    }
    if (o == null) {
      o = take();
    }
    if (o == COMPLETE) {
      finished = true;
      return false;
    }
    if (o instanceof Failure f) {
      finished = true;
      Throwable t = f.error;
      if (t instanceof InterruptedException) {
        // this thread was interrupted while it read the source itself (pulling)
        close();
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while reading the next stream element");
      }
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
    if (!pulling && ++consumed == replenish) {
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

  /**
   * Asks for one element with the caller-reads mark set, so a {@link PullPublisher} reads it on
   * this thread. If it does not arrive synchronously, switches to keeping {@code prefetch} in
   * flight (the one just asked for included).
   */
  private @Nullable Object pull() {
    Boolean outer = PullPublisher.CALLER_READS.get();
    PullPublisher.CALLER_READS.set(Boolean.TRUE);
    try {
      subscriber.request(1);
    } finally {
      PullPublisher.CALLER_READS.set(outer);
    }
    Object o = queue.poll();
    if (o == null) {
      pulling = false;
      consumed = 0;
      if (prefetch > 1) {
        subscriber.request(prefetch - 1);
      }
    }
    return o;
  }

  private Object take() {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the next stream element");
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
      } else if (subscribing && Thread.currentThread() == owner) {
        pulling = true; // subscribed synchronously: ask for one element at a time, when needed
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
