package dev.llmgateway.internal;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A cold, demand-aware {@link Flow.Publisher} over a pull {@link Source} such as an SSE reader on
 * a socket. Nothing is opened before the first {@code request}; the source is read only while the
 * subscriber has outstanding demand, so a slow subscriber slows the read and no queue grows;
 * cancelling closes the source (which must unblock a pending read).
 *
 * <p>Each subscriber gets its own source. Signals for one subscriber are serialised and delivered
 * on a thread of the given executor (a direct executor such as {@code Runnable::run} delivers on
 * the thread that calls {@code request}), with one exception: a {@link
 * dev.llmgateway.StreamIterator} that pulls one element at a time reads the source on its own
 * thread, which would only wait for a hand-off otherwise (the thread hop costs tens of microseconds
 * per stream). Thread-safe; passes the Reactive Streams TCK, with its two failed-publisher tests
 * adapted to request before expecting the opener's failure (nothing is opened, so nothing can fail,
 * before demand).
 *
 * @param <T> the element type
 */
public final class PullPublisher<T> implements Flow.Publisher<T> {

  /**
   * A blocking source of elements.
   *
   * @param <T> the element type
   */
  public interface Source<T> {
    /**
     * Blocks for the next element.
     *
     * @return the next element, or null at the end
     * @throws Exception when reading fails; the subscriber gets {@code onError}
     */
    @Nullable T next() throws Exception;

    /**
     * Releases the source. Called exactly once per source: after the end, after a failure, or on
     * cancellation, possibly from another thread while {@link #next()} blocks (it must unblock).
     */
    void close();
  }

  /**
   * Set on a thread whose {@code request} calls may read the source inline: a {@link
   * StreamIterator} pulling one element that it is about to block for anyway. Demand passed on
   * synchronously through stages in between (failover, metering) keeps the mark; demand from any
   * other thread (a timer, a provider's executor) does not.
   */
  public static final ThreadLocal<Boolean> CALLER_READS = new ThreadLocal<>();

  private final Callable<? extends Source<T>> opener;
  private final Executor executor;

  private PullPublisher(Callable<? extends Source<T>> opener, Executor executor) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * A publisher that opens a source per subscriber (on the first request) and reads it on the
   * executor.
   */
  public static <T> PullPublisher<T> of(Callable<? extends Source<T>> opener, Executor executor) {
    return new PullPublisher<>(opener, executor);
  }

  /** A publisher of a fixed list, delivered on the executor. */
  public static <T> PullPublisher<T> fromList(List<T> items, Executor executor) {
    List<T> copy = List.copyOf(items);
    return new PullPublisher<>(() -> new Source<T>() {
      private final Iterator<T> it = copy.iterator();

      @Override
      public @Nullable T next() {
        return it.hasNext() ? it.next() : null;
      }

      @Override
      public void close() {}
    }, executor);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    new PullSubscription<>(subscriber, opener, executor).start();
  }

  private static final class PullSubscription<T> implements Flow.Subscription, Runnable {
    private final Flow.Subscriber<? super T> subscriber;
    private final Callable<? extends Source<T>> opener;
    private final Executor executor;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private volatile @Nullable Source<T> source;
    private volatile @Nullable Throwable badRequest;
    private boolean done; // touched by the drain loop only
    private boolean closed; // guarded by this

    PullSubscription(Flow.Subscriber<? super T> subscriber, Callable<? extends Source<T>> opener,
        Executor executor) {
      this.subscriber = subscriber;
      this.opener = opener;
      this.executor = executor;
    }

    /**
     * Signals {@code onSubscribe}. The drain loop is held off until it returns, so an {@code
     * onNext} caused by a {@code request} made inside {@code onSubscribe} cannot run on an
     * executor thread while {@code onSubscribe} is still running (rule 1.3); such requests are
     * drained once it has returned. (Should {@code onSubscribe} throw, nothing is ever drained.)
     */
    void start() {
      wip.set(1);
      subscriber.onSubscribe(this);
      if (wip.decrementAndGet() != 0) {
        execute();
      }
    }

    @Override
    public void request(long n) {
      if (cancelled) {
        return;
      }
      if (n <= 0) {
        badRequest = new IllegalArgumentException(
            "Reactive Streams rule 3.9: request must be positive, was " + n);
      } else {
        Demand.add(demand, n);
      }
      schedule();
    }

    @Override
    public void cancel() {
      cancelled = true;
      closeSource();
    }

    private void schedule() {
      if (wip.getAndIncrement() == 0) {
        execute();
      }
    }

    private void execute() {
      if (CALLER_READS.get() == Boolean.TRUE) {
        run();
        return;
      }
      try {
        executor.execute(this);
      } catch (RejectedExecutionException rejected) {
        cancelled = true;
        closeSource();
        subscriber.onError(rejected);
      }
    }

    private void closeSource() {
      Source<T> s;
      synchronized (this) {
        s = source;
        if (s == null || closed) {
          return;
        }
        closed = true;
      }
      s.close();
    }

    @Override
    public void run() {
      int missed = 1;
      for (;;) {
        if (drain()) {
          return;
        }
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }

    /** Emits while there is demand; returns true once terminated. */
    private boolean drain() {
      if (done || cancelled) {
        return true;
      }
      Throwable bad = badRequest;
      if (bad != null) {
        return fail(bad);
      }
      long requested = demand.get();
      long emitted = 0;
      while (emitted != requested) {
        T item;
        try {
          Source<T> s = source;
          if (s == null) {
            s = Objects.requireNonNull(opener.call(), "opener returned null");
            synchronized (this) {
              source = s;
            }
            if (cancelled) {
              closeSource();
              return true;
            }
          }
          item = s.next();
        } catch (Throwable t) {
          if (cancelled) {
            return true;
          }
          return fail(t);
        }
        if (cancelled) {
          return true;
        }
        if (item == null) {
          done = true;
          closeSource();
          subscriber.onComplete();
          return true;
        }
        try {
          subscriber.onNext(item);
        } catch (RuntimeException | Error e) {
          // rule 2.13: the subscription is cancelled; the source must not be left open
          cancelled = true;
          closeSource();
          throw e;
        }
        emitted++;
        if (cancelled) {
          return true;
        }
        if (badRequest != null) {
          return fail(badRequest);
        }
        if (emitted == requested) {
          requested = demand.addAndGet(requested == Long.MAX_VALUE ? 0 : -emitted);
          emitted = 0;
        }
      }
      return false;
    }

    private boolean fail(Throwable t) {
      done = true;
      cancelled = true;
      closeSource();
      subscriber.onError(t);
      return true;
    }
  }
}
