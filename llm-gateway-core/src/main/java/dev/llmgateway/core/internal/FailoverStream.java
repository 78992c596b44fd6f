package dev.llmgateway.core.internal;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.TokenEstimator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The execute step of a streamed call: subscribes to the first candidate's stream and, until the
 * commit point (the first content event passed on), replaces a failed attempt with the next
 * candidate invisibly. After the commit point a failure is passed on as the stream's {@link
 * ChatEvent.Failed} terminal event.
 *
 * <p>Demand passes straight through: the current attempt is asked for exactly what the caller asked
 * for and has not received yet (plus one for each usage report absorbed before the commit point),
 * so nothing is buffered. Switching attempts, cancelling and emitting a synthesised terminal event
 * are decided under this object's monitor; content events pass without it, and an attempt is
 * started, subscribed and asked for events outside it, because a request may read the stream on
 * the calling thread (a {@link dev.llmgateway.spi.StreamIterator} pulling) and a cancel from
 * another thread must not wait for that read.
 */
final class FailoverStream implements ChatStream, Flow.Subscription {
  private final ExecuteInterceptor execute;
  private final CallState call;
  private final ChatRequest request;
  private final List<Deployment> plan;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final AtomicLong outstanding = new AtomicLong();
  private final List<GatewayException> failures = new ArrayList<>(1);
  private Flow.@Nullable Subscriber<? super ChatEvent> downstream;
  private int candidate = -1; // guarded by this
  private @Nullable AttemptSubscriber current; // guarded by this
  private ChatEvent.@Nullable Failed pendingTerminal; // guarded by this
  private volatile boolean committed;
  private volatile boolean cancelled;
  private volatile boolean done;

  FailoverStream(ExecuteInterceptor execute, CallState call, ChatRequest request,
      List<Deployment> plan) {
    this.execute = execute;
    this.call = call;
    this.request = request;
    this.plan = plan;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ChatEvent> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      Streams.rejectSecondSubscriber(subscriber);
      return;
    }
    downstream = subscriber;
    subscriber.onSubscribe(this);
  }

  @Override
  public void request(long n) {
    if (n <= 0) {
      cancel();
      downstream().onError(new IllegalArgumentException(
          "Reactive Streams rule 3.9: request must be positive, was " + n));
      return;
    }
    AttemptSubscriber next = null;
    Flow.Subscription forward = null;
    synchronized (this) {
      if (done || cancelled) {
        return;
      }
      Streams.addDemand(outstanding, n);
      if (pendingTerminal != null) {
        emitTerminal(pendingTerminal);
        return;
      }
      if (current == null) {
        next = prepareNext();
      } else {
        // not yet subscribed: its onSubscribe asks for all outstanding demand, this n included
        forward = current.subscription;
      }
    }
    // outside the monitor: a request may read the source on this thread (StreamIterator)
    if (next != null) {
      launch(next);
    } else if (forward != null) {
      forward.request(n);
    }
  }

  @Override
  public void cancel() {
    AttemptSubscriber attempt;
    synchronized (this) {
      if (done || cancelled) {
        return;
      }
      cancelled = true;
      attempt = current;
    }
    if (attempt != null) {
      attempt.cancel();
    }
  }

  /** Makes the next candidate's attempt the current one. Called under the monitor. */
  private AttemptSubscriber prepareNext() {
    candidate++;
    Deployment deployment = plan.get(candidate);
    AttemptSubscriber attempt = new AttemptSubscriber(execute.startAttempt(call, deployment));
    current = attempt;
    return attempt;
  }

  /**
   * Starts a prepared attempt's stream and subscribes to it. Called without the monitor: the
   * subscription's first request may read the stream on this thread.
   */
  private void launch(AttemptSubscriber attempt) {
    if (cancelled) {
      return; // cancel() has ended the attempt
    }
    AttemptContext context = attempt.context;
    ChatStream stream;
    try {
      stream = execute.startStream(call, request.withModel(context.deployment().model()),
          context);
    } catch (GatewayException e) {
      attempt.failed(e, Usage.ZERO);
      return;
    } catch (RuntimeException e) {
      GatewayException bug = ExecuteInterceptor.internal(context.deployment(), e);
      if (attempt.end(ExecuteInterceptor.failedAttempt(context, bug, attempt.start, Usage.ZERO))) {
        synchronized (this) {
          failures.add(bug);
          finish(bug);
        }
      }
      return;
    }
    stream.subscribe(attempt);
  }

  /** An attempt failed: fail over if nothing was delivered yet, else end the stream. */
  private void onAttemptFailure(AttemptSubscriber attempt, GatewayException error) {
    AttemptSubscriber next;
    synchronized (this) {
      if (done || cancelled || attempt != current) {
        return;
      }
      failures.add(error);
      if (committed || !ExecuteInterceptor.movesOn(error) || candidate + 1 >= plan.size()
          || !ExecuteInterceptor.hasTimeFor(call)) {
        finish(committed ? error : ExecuteInterceptor.failure(call, failures));
        return;
      }
      next = prepareNext();
    }
    launch(next);
  }

  /** Ends the stream with a failure, now or at the next request. Called under the monitor. */
  private void finish(GatewayException error) {
    ChatEvent.Failed failed = ChatEvent.Failed.of(error);
    if (outstanding.get() > 0) {
      emitTerminal(failed);
    } else {
      pendingTerminal = failed;
    }
  }

  private void emitTerminal(ChatEvent terminal) {
    done = true;
    pendingTerminal = null;
    outstanding.decrementAndGet();
    Flow.Subscriber<? super ChatEvent> d = downstream();
    d.onNext(terminal);
    d.onComplete();
  }

  private Flow.Subscriber<? super ChatEvent> downstream() {
    Flow.Subscriber<? super ChatEvent> d = downstream;
    if (d == null) {
      throw new IllegalStateException("not subscribed");
    }
    return d;
  }

  /** Subscribes to one attempt's stream and passes its events on. */
  private final class AttemptSubscriber implements Flow.Subscriber<ChatEvent> {
    private final AttemptContext context;
    private final long start = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Flow.@Nullable Subscription subscription;
    private long contentChars;

    AttemptSubscriber(AttemptContext context) {
      this.context = context;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      long wanted;
      synchronized (FailoverStream.this) {
        if (subscription != null || cancelled || current != this) {
          s.cancel();
          return;
        }
        subscription = s;
        wanted = outstanding.get();
      }
      if (wanted > 0) {
        s.request(wanted); // without the monitor, like request(n)
      }
    }

    void request(long n) {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(n);
      }
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      end(new Attempt(context.number(), context.deployment(), Attempt.Outcome.CANCELLED, null,
          Duration.ofNanos(System.nanoTime() - start), null, "cancelled by the caller",
          estimate()));
    }

    private Usage estimate() {
      return Usage.estimate(TokenEstimator.input(request), TokenEstimator.tokens(contentChars));
    }

    @Override
    public void onNext(ChatEvent event) {
      if (ended.get()) {
        return;
      }
      if (event.isContent()) {
        contentChars += Streams.contentChars(event);
        committed = true;
        outstanding.decrementAndGet();
        downstream().onNext(event);
      } else if (event instanceof ChatEvent.Completed c) {
        ChatResponse response = c.response();
        end(new Attempt(context.number(), context.deployment(), Attempt.Outcome.SUCCEEDED, null,
            Duration.ofNanos(System.nanoTime() - start), null, null, response.usage()));
        if (response.deployment() == null) {
          response = response.toBuilder().deployment(context.deployment()).build();
        }
        done = true;
        outstanding.decrementAndGet();
        Flow.Subscriber<? super ChatEvent> d = downstream();
        d.onNext(new ChatEvent.Completed(response));
        d.onComplete();
      } else if (event instanceof ChatEvent.Failed f) {
        failed(f.error(), f.usage());
      } else if (committed) {
        outstanding.decrementAndGet();
        downstream().onNext(event);
      } else {
        // a usage report before the commit point is absorbed: its counts reach the caller on the
        // terminal event, and a failover must not leave a stale report behind
        request(1);
      }
    }

    void failed(GatewayException error, Usage reported) {
      // a provider that fails midway rarely reports usage: what was generated is still billed
      Usage usage = reported.equals(Usage.ZERO) && contentChars > 0 ? estimate() : reported;
      if (end(ExecuteInterceptor.failedAttempt(context, error, start, usage))) {
        onAttemptFailure(this, error);
      }
    }

    @Override
    public void onError(Throwable t) {
      failed(t instanceof GatewayException g ? g
          : new ProviderUnavailableException("the stream from " + context.deployment()
              + " failed: " + t.getClass().getSimpleName(),
              dev.llmgateway.ErrorDetails.of(context.deployment()), t), Usage.ZERO);
    }

    @Override
    public void onComplete() {
      if (ended.get()) {
        return; // the normal end, after the terminal event
      }
      failed(new ProviderUnavailableException("the stream from " + context.deployment()
          + " ended without a terminal event", dev.llmgateway.ErrorDetails.of(
              context.deployment()), null), Usage.ZERO);
    }

    boolean end(Attempt attempt) {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      execute.endAttempt(call, attempt);
      return true;
    }
  }
}
