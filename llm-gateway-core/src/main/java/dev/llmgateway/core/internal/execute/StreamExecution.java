package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Streams;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.internal.TimerWheel;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.TokenEstimator;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A streamed call through the {@link AttemptSequencer}: an attempt subscribes to the transport's
 * stream and commits at its first content event (the commit point). Before it, the sequencer
 * replaces a failed attempt invisibly; an attempt that produces no first token within its
 * first-token timeout is cancelled and counts as failed, and with a hedging route the first to
 * produce content wins. After it, a failure, an idle timeout between events or the call's
 * deadline ends the stream with a {@link ChatEvent.Failed} terminal event; the usage incurred is
 * in the call's attempts. A stream's transport deadline bounds only its start, so the first-token,
 * idle and total limits are the gateway's own timers.
 *
 * <p>Demand passes straight through: attempts are asked for what the caller asked for and has not
 * received (plus one per usage report absorbed before the commit point), so nothing is buffered.
 * Attempts are subscribed and asked for events outside the sequencer's monitor, because a request
 * may read the stream on the calling thread (a {@link dev.llmgateway.StreamIterator} pulling) and
 * a cancel or a timer on another thread must not wait for that read. The caller's demand, its
 * signals and the one terminal event are the {@link Outlet}'s: an event takes a unit of demand and
 * the terminal event reserves one in the same atomic word, so the terminal event never arrives
 * without demand and is never lost, whichever thread ends the call (the attempt's, a timer's
 * executor thread, the caller's); signals are serialised by the outlet's lock, never taken while
 * the monitor is held.
 */
final class StreamExecution extends AttemptSequencer implements ChatStream, Flow.Subscription {
  private final ChatRequest chatRequest;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final Outlet outlet = new Outlet();
  private boolean started; // guarded by this
  private TimerWheel.@Nullable Timer totalTimer; // guarded by this
  private TimerWheel.@Nullable Timer idleTimer; // guarded by this
  private volatile long lastEventNanos;

  StreamExecution(ExecuteInterceptor execute, Call call, ChatRequest request) {
    super(execute, call, request);
    this.chatRequest = request;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ChatEvent> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      Streams.rejectSecondSubscriber(subscriber);
      return;
    }
    outlet.subscriber(subscriber);
    subscriber.onSubscribe(this);
  }

  @Override
  public void request(long n) {
    if (n <= 0) {
      cancel();
      outlet.subscriber().onError(new IllegalArgumentException(
          "Reactive Streams rule 3.9: request must be positive, was " + n));
      return;
    }
    LiveAttempt w = winner;
    if (w != null) {
      // committed: the demand goes to the outlet and on to the winner without the monitor (per
      // event, for a caller that asks for one at a time). A call that finished meanwhile spends
      // the request on an upstream that has ended, which ignores it (rule 3.6)
      if (cancelled) {
        return;
      }
      ChatEvent parked = outlet.request(n);
      if (parked != null) {
        outlet.deliverTerminal(parked);
        return;
      }
      Flow.Subscription s = ((StreamAttempt) w).subscription;
      if (s != null) {
        s.request(n);
      }
      return;
    }
    LiveAttempt first = null;
    Runnable end = null;
    ChatEvent terminal;
    Flow.Subscription forward = null;
    Flow.Subscription hedged = null; // a second live attempt's, before the commit point
    synchronized (this) {
      if (cancelled) {
        return;
      }
      // a terminal event parked for want of demand, if any; a finished call forwards nothing (the
      // thread ending it delivers its terminal event when this demand reaches the outlet first)
      terminal = outlet.request(n);
      if (!finished && !started) {
        started = true;
        long deadline = call.deadlineNanos();
        if (deadline != AttemptContext.NO_DEADLINE) {
          totalTimer = schedule(this::deadlinePassed, deadline - System.nanoTime());
        }
        first = first();
        if (first == null) {
          end = noCandidate();
        }
      } else if (!finished) {
        // an attempt not yet subscribed asks for all outstanding demand, this n included
        LiveAttempt won = winner;
        if (won != null) {
          forward = ((StreamAttempt) won).subscription;
        } else {
          LiveAttempt a = liveAt(0);
          LiveAttempt b = liveAt(1);
          forward = a == null ? null : ((StreamAttempt) a).subscription;
          hedged = b == null ? null : ((StreamAttempt) b).subscription;
        }
      }
    }
    // outside the monitor: a request may read the stream on this thread
    if (terminal != null) {
      outlet.deliverTerminal(terminal);
    } else if (first != null) {
      launch(first);
    } else if (end != null) {
      end.run();
    } else {
      if (forward != null) {
        forward.request(n);
      }
      if (hedged != null) {
        hedged.request(n);
      }
    }
  }

  @Override
  public void cancel() {
    cancel("cancelled by the caller");
  }

  @Override
  LiveAttempt newAttempt(DeploymentState state, Attempt.Kind kind, int attemptsHere) {
    return new StreamAttempt(state, startContext(state, kind, true), kind, attemptsHere);
  }

  /** Starts an attempt's stream and subscribes to it. Called without the monitor. */
  @Override
  void launch(LiveAttempt live) {
    StreamAttempt attempt = (StreamAttempt) live;
    if (cancelled) {
      return; // cancel() ended it
    }
    long firstToken = attempt.state.firstTokenTimeoutNanos();
    if (firstToken > 0) {
      TimerWheel.Timer timer = schedule(() -> firstTokenTimeout(attempt), firstToken);
      synchronized (this) {
        attempt.firstTokenTimer = timer;
      }
    }
    ChatStream stream;
    try {
      stream = execute.startStream(call, chatRequest.withModel(attempt.state.deployment().model()),
          attempt.context);
    } catch (GatewayException e) {
      failed(attempt, e, Usage.ZERO);
      return;
    } catch (RuntimeException e) {
      broke(attempt, ExecuteInterceptor.internal(attempt.state.deployment(), e));
      return;
    }
    try {
      stream.subscribe(attempt);
    } catch (GatewayException e) {
      failed(attempt, e, Usage.ZERO);
    } catch (RuntimeException e) {
      // a publisher must not throw from subscribe (Reactive Streams rule 1.9); one that does ends
      // its attempt like a transport that threw, instead of escaping into the caller's request
      broke(attempt, ExecuteInterceptor.internal(attempt.state.deployment(), e));
    }
  }

  @Override
  @Nullable Runnable failure(GatewayException failure) {
    ChatEvent.Failed failed = ChatEvent.Failed.of(failure);
    return outlet.end(failed) ? () -> outlet.deliverTerminal(failed) : null;
  }

  @Override
  void left(LiveAttempt attempt) {
    TimerWheel.Timer timer;
    synchronized (this) {
      StreamAttempt a = (StreamAttempt) attempt;
      timer = a.firstTokenTimer;
      a.firstTokenTimer = null;
    }
    cancel(timer);
  }

  @Override
  void finishing() {
    totalTimer = cancel(totalTimer);
    idleTimer = cancel(idleTimer);
    for (int i = 0; i < liveCount(); i++) {
      StreamAttempt s = (StreamAttempt) liveAt(i);
      if (s != null) {
        s.firstTokenTimer = cancel(s.firstTokenTimer);
      }
    }
  }

  @Override
  boolean hedgesFirstTokens() {
    return true;
  }

  @Override
  boolean mayCommit(LiveAttempt attempt) {
    return !((StreamAttempt) attempt).timedOut;
  }

  @Override
  void committed(LiveAttempt live) {
    StreamAttempt attempt = (StreamAttempt) live;
    attempt.firstTokenNanos = System.nanoTime() - attempt.startNanos;
    lastEventNanos = System.nanoTime();
    attempt.firstTokenTimer = cancel(attempt.firstTokenTimer);
    if (attempt.state.idleTimeoutNanos() > 0) {
      idleTimer = schedule(this::idleCheck, attempt.state.idleTimeoutNanos());
    }
  }

  private void firstTokenTimeout(StreamAttempt attempt) {
    synchronized (this) {
      if (finished || cancelled || winner != null || !isLive(attempt)) {
        return;
      }
      attempt.timedOut = true; // it can no longer win
    }
    attempt.cancelUpstream();
    failed(attempt, new GatewayTimeoutException(GatewayTimeoutException.Kind.FIRST_TOKEN,
        Duration.ofNanos(attempt.state.firstTokenTimeoutNanos()),
        ErrorDetails.of(attempt.state.deployment()), null), Usage.ZERO);
  }

  private void idleCheck() {
    LiveAttempt w = winner;
    long idle = w == null ? 0 : w.state.idleTimeoutNanos();
    synchronized (this) {
      idleTimer = null;
      if (finished || cancelled || w == null) {
        return;
      }
      long quiet = System.nanoTime() - lastEventNanos;
      if (quiet < idle) {
        idleTimer = schedule(this::idleCheck, idle - quiet);
        return;
      }
    }
    w.cancelUpstream();
    failed(w, new GatewayTimeoutException(GatewayTimeoutException.Kind.IDLE,
        Duration.ofNanos(idle), ErrorDetails.of(w.state.deployment()), null), w.estimate());
  }

  /** One attempt's stream: passes its events on once it has committed. */
  private final class StreamAttempt extends LiveAttempt implements Flow.Subscriber<ChatEvent> {
    volatile Flow.@Nullable Subscription subscription;
    TimerWheel.@Nullable Timer firstTokenTimer; // guarded by the execution's monitor
    boolean timedOut; // guarded by the execution's monitor
    private long contentChars; // on the attempt's signalling thread

    StreamAttempt(DeploymentState state, AttemptContext context, Attempt.Kind kind,
        int attemptsHere) {
      super(StreamExecution.this, state, context, kind, attemptsHere);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      long wanted;
      synchronized (StreamExecution.this) {
        if (subscription != null || cancelled || finished || !isLive(this)) {
          wanted = -1;
        } else {
          subscription = s;
          wanted = outlet.outstanding();
        }
      }
      if (wanted < 0) {
        s.cancel();
      } else if (wanted > 0) {
        s.request(wanted); // without the monitor, like request(n)
      }
    }

    @Override
    void cancelUpstream() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      super.cancelUpstream();
    }

    @Override
    Usage estimate() {
      return Usage.estimate(TokenEstimator.input(chatRequest),
          TokenEstimator.tokens(contentChars));
    }

    @Override
    public void onNext(ChatEvent event) {
      if (hasEnded()) {
        return;
      }
      if (event.isContent()) {
        if (winner != this && !commit(this)) {
          return;
        }
        contentChars += Streams.contentChars(event);
        lastEventNanos = System.nanoTime();
        outlet.emit(event);
      } else if (event instanceof ChatEvent.Completed c) {
        if (winner != this && !commit(this)) {
          return;
        }
        succeed(c.response());
      } else if (event instanceof ChatEvent.Failed f) {
        failed(this, f.error(), billed(f.usage()));
      } else if (winner == this) {
        outlet.emit(event);
      } else {
        // a usage report before the commit point is absorbed: its counts reach the caller on the
        // terminal event, and a failover must not leave a stale report behind
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1);
        }
      }
    }

    /** A provider that fails midway rarely reports usage: what was generated is still billed. */
    private Usage billed(Usage reported) {
      return reported.equals(Usage.ZERO) && contentChars > 0 ? estimate() : reported;
    }

    private void succeed(ChatResponse response) {
      answer = response;
      if (!completed(this, response.usage())) {
        return;
      }
      ChatResponse answer = response.deployment() != null ? response
          : response.toBuilder().deployment(state.deployment()).build();
      ChatEvent.Completed done = new ChatEvent.Completed(answer);
      if (outlet.end(done)) {
        outlet.deliverTerminal(done);
      }
    }

    @Override
    public void onError(Throwable t) {
      failed(this, t instanceof GatewayException g ? g
          : new ProviderUnavailableException("the stream from " + state.deployment()
              + " failed: " + t.getClass().getSimpleName(), ErrorDetails.of(state.deployment()),
              t), billed(Usage.ZERO));
    }

    @Override
    public void onComplete() {
      if (hasEnded()) {
        return; // the normal end, after the terminal event
      }
      failed(this, new ProviderUnavailableException("the stream from " + state.deployment()
          + " ended without a terminal event", ErrorDetails.of(state.deployment()), null),
          billed(Usage.ZERO));
    }
  }
}
