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
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.call.Streams;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.core.internal.health.Outcomes;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.internal.Demand;
import dev.llmgateway.internal.TimerWheel;
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
 * The execute step of a streamed call. Until the commit point (the first content event passed
 * on) it replaces a failed attempt invisibly, as {@link Planner} decides: a retry of the same
 * deployment after a backoff (waited on the scheduler, not on a thread), or the next candidate.
 * An attempt that produces no first token within its first-token timeout is cancelled and counts
 * as failed; with a hedging route, the next candidate starts beside a first attempt that is slow
 * to produce, and the first to produce content wins (the other is cancelled). After the commit
 * point a failure, an idle timeout between events, or the call's deadline ends the stream with a
 * {@link ChatEvent.Failed} terminal event; the usage incurred is in the call's attempts.
 *
 * <p>Demand passes straight through: attempts are asked for what the caller asked for and has not
 * received (plus one per usage report absorbed before the commit point), so nothing is buffered.
 * Decisions (which attempt runs, wins or ends) are made under this object's monitor; attempts
 * are started, subscribed and asked for events outside it, because a request may read the stream
 * on the calling thread (a {@link dev.llmgateway.StreamIterator} pulling) and a cancel or a
 * timer on another thread must not wait for that read. Signals to the caller are serialised by a
 * second lock, never taken while the monitor is held.
 */
public final class ResilientStream implements ChatStream, Flow.Subscription {
  private final ExecuteInterceptor execute;
  private final Call call;
  private final ChatRequest request;
  private final Planner planner; // guarded by this
  private final @Nullable HedgePolicy hedge;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final AtomicLong outstanding = new AtomicLong();
  private final Object emitLock = new Object();
  private final List<AttemptSubscriber> live = new ArrayList<>(2); // guarded by this
  private Flow.@Nullable Subscriber<? super ChatEvent> downstream;
  private boolean started; // guarded by this
  private boolean finished; // guarded by this
  private ChatEvent.@Nullable Failed pendingTerminal; // guarded by this
  private TimerWheel.@Nullable Timer totalTimer; // guarded by this
  private TimerWheel.@Nullable Timer hedgeTimer; // guarded by this
  private TimerWheel.@Nullable Timer retryTimer; // guarded by this
  private TimerWheel.@Nullable Timer idleTimer; // guarded by this
  private volatile boolean cancelled;
  private volatile @Nullable AttemptSubscriber winner;
  private volatile long lastEventNanos;
  private boolean terminated; // guarded by emitLock

  public ResilientStream(ExecuteInterceptor execute, Call call, ChatRequest request,
      Planner planner) {
    this.execute = execute;
    this.call = call;
    this.request = request;
    this.planner = planner;
    Plan plan = call.plan();
    Route route = plan == null ? null : plan.settings();
    this.hedge = route == null || plan.candidates().size() < 2 ? null : route.hedgePolicy();
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
    AttemptSubscriber first = null;
    ChatEvent.Failed terminal = null;
    Flow.Subscription forward = null;
    Flow.Subscription hedged = null; // a second live attempt's, before the commit point
    synchronized (this) {
      if (cancelled || (finished && pendingTerminal == null)) {
        return;
      }
      Demand.add(outstanding, n);
      if (pendingTerminal != null) {
        terminal = pendingTerminal;
        pendingTerminal = null;
      } else if (!started) {
        started = true;
        armTotalTimer();
        DeploymentState state = planner.next();
        if (state == null) {
          terminal = finish(planner.failure());
        } else {
          first = prepare(state, Attempt.Kind.FIRST, 1);
          armHedgeTimer(state);
        }
      } else {
        // an attempt not yet subscribed asks for all outstanding demand, this n included
        AttemptSubscriber w = winner;
        if (w != null) {
          forward = w.subscription;
        } else {
          for (AttemptSubscriber a : live) {
            if (forward == null) {
              forward = a.subscription;
            } else {
              hedged = a.subscription;
            }
          }
        }
      }
    }
    // outside the monitor: a request may read the stream on this thread
    if (terminal != null) {
      emitTerminal(terminal);
    } else if (first != null) {
      launch(first);
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
    List<AttemptSubscriber> running;
    synchronized (this) {
      if (finished || cancelled) {
        return;
      }
      cancelled = true;
      running = new ArrayList<>(live);
      live.clear();
      cancelTimers();
    }
    for (AttemptSubscriber a : running) {
      a.cancelUpstream();
      a.end(a.outcome(Attempt.Outcome.CANCELLED, null, "cancelled by the caller", a.estimate()),
          null);
    }
  }

  /** Makes an attempt live. Called under the monitor. */
  private AttemptSubscriber prepare(DeploymentState state, Attempt.Kind kind, int attemptsHere) {
    AttemptContext context = execute.startAttempt(call, state, kind, true);
    AttemptSubscriber attempt = new AttemptSubscriber(state, context, kind, attemptsHere);
    live.add(attempt);
    return attempt;
  }

  /** Starts an attempt's stream and subscribes to it. Called without the monitor. */
  private void launch(AttemptSubscriber attempt) {
    if (cancelled) {
      return; // cancel() ended it
    }
    long firstToken = attempt.state.firstTokenTimeoutNanos();
    if (firstToken > 0) {
      attempt.firstTokenTimer = schedule(() -> firstTokenTimeout(attempt), firstToken);
    }
    ChatStream stream;
    try {
      stream = execute.startStream(call, request.withModel(attempt.state.deployment().model()),
          attempt.context);
    } catch (GatewayException e) {
      attempt.failed(e, Usage.ZERO);
      return;
    } catch (RuntimeException e) {
      attempt.failed(ExecuteInterceptor.internal(attempt.state.deployment(), e), Usage.ZERO);
      return;
    }
    stream.subscribe(attempt);
  }

  private void armTotalTimer() {
    long deadline = call.deadlineNanos();
    if (deadline != AttemptContext.NO_DEADLINE) {
      totalTimer = schedule(this::totalTimeout, deadline - System.nanoTime());
    }
  }

  private void armHedgeTimer(DeploymentState first) {
    HedgePolicy h = hedge;
    if (h != null) {
      long threshold = h.thresholdNanos(h.percentile() == 0 ? -1
          : first.breaker().latencyPercentileNanos(h.percentile()));
      hedgeTimer = schedule(this::startHedge, threshold);
    }
  }

  private TimerWheel.Timer schedule(Runnable task, long delayNanos) {
    return execute.resilience().timers().schedule(task, delayNanos);
  }

  /** The hedge threshold passed with no content yet: start the next candidate beside. */
  private void startHedge() {
    AttemptSubscriber second;
    synchronized (this) {
      if (finished || cancelled || winner != null || live.size() != 1) {
        return;
      }
      DeploymentState next = planner.next();
      if (next == null) {
        return;
      }
      second = prepare(next, Attempt.Kind.HEDGE, 1);
    }
    launch(second);
  }

  private void firstTokenTimeout(AttemptSubscriber attempt) {
    synchronized (this) {
      if (finished || cancelled || winner != null || !live.contains(attempt)) {
        return;
      }
      attempt.timedOut = true; // it can no longer win
    }
    attempt.cancelUpstream();
    attempt.failed(new GatewayTimeoutException(GatewayTimeoutException.Kind.FIRST_TOKEN,
        Duration.ofNanos(attempt.state.firstTokenTimeoutNanos()),
        ErrorDetails.of(attempt.state.deployment()), null), Usage.ZERO);
  }

  private void idleCheck() {
    AttemptSubscriber w = winner;
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
    w.failed(new GatewayTimeoutException(GatewayTimeoutException.Kind.IDLE,
        Duration.ofNanos(idle), ErrorDetails.of(w.state.deployment()), null), w.estimate());
  }

  private void totalTimeout() {
    List<AttemptSubscriber> running;
    ChatEvent.Failed terminal;
    GatewayTimeoutException timeout = new GatewayTimeoutException(
        GatewayTimeoutException.Kind.TOTAL,
        Duration.ofNanos(call.deadlineNanos() - call.startNanos()), ErrorDetails.NONE, null);
    synchronized (this) {
      if (finished || cancelled) {
        return;
      }
      running = new ArrayList<>(live);
      live.clear();
      for (AttemptSubscriber a : running) {
        planner.failedAlongside(timeout);
        a.end(a.outcome(Attempt.Outcome.FAILED, timeout, "the call's deadline ran out",
            a.estimate()), timeout);
      }
      if (running.isEmpty()) {
        planner.failedAlongside(timeout); // it ran out during a backoff
      }
      terminal = finish(winner != null ? timeout : planner.failure());
    }
    for (AttemptSubscriber a : running) {
      a.cancelUpstream();
    }
    if (terminal != null) {
      emitTerminal(terminal);
    }
  }

  /** A retry's backoff has passed: try the same deployment again, or the next candidate. */
  private void retry(DeploymentState state, int attemptsHere) {
    AttemptSubscriber next;
    ChatEvent.Failed terminal = null;
    synchronized (this) {
      retryTimer = null;
      if (finished || cancelled) {
        return;
      }
      next = planner.regrant(state) ? prepare(state, Attempt.Kind.RETRY, attemptsHere + 1)
          : failover();
      if (next == null) {
        terminal = finish(planner.failure());
      }
    }
    if (next != null) {
      launch(next);
    } else if (terminal != null) {
      emitTerminal(terminal);
    }
  }

  /** The next candidate made live, or null when none is left. Called under the monitor. */
  private @Nullable AttemptSubscriber failover() {
    DeploymentState next = planner.next();
    return next == null ? null : prepare(next, Attempt.Kind.FAILOVER, 1);
  }

  /**
   * Ends the stream with a failure: returns the terminal event to emit now (outside the monitor),
   * or keeps it for the next request when the caller has no demand. Called under the monitor.
   */
  private ChatEvent.@Nullable Failed finish(GatewayException error) {
    finished = true;
    cancelTimers();
    ChatEvent.Failed failed = ChatEvent.Failed.of(error);
    if (outstanding.get() > 0) {
      return failed;
    }
    pendingTerminal = failed;
    return null;
  }

  private void cancelTimers() {
    totalTimer = cancel(totalTimer);
    hedgeTimer = cancel(hedgeTimer);
    retryTimer = cancel(retryTimer);
    idleTimer = cancel(idleTimer);
    for (AttemptSubscriber a : live) {
      a.firstTokenTimer = cancel(a.firstTokenTimer);
    }
  }

  private static TimerWheel.@Nullable Timer cancel(TimerWheel.@Nullable Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
    return null;
  }

  private void emit(ChatEvent event) {
    synchronized (emitLock) {
      if (terminated) {
        return;
      }
      outstanding.decrementAndGet();
      downstream().onNext(event);
    }
  }

  private void emitTerminal(ChatEvent terminal) {
    synchronized (emitLock) {
      if (terminated) {
        return;
      }
      terminated = true;
      outstanding.decrementAndGet();
      Flow.Subscriber<? super ChatEvent> d = downstream();
      d.onNext(terminal);
      d.onComplete();
    }
  }

  private Flow.Subscriber<? super ChatEvent> downstream() {
    Flow.Subscriber<? super ChatEvent> d = downstream;
    if (d == null) {
      throw new IllegalStateException("not subscribed");
    }
    return d;
  }

  /** Subscribes to one attempt's stream and passes its events on once it has won. */
  private final class AttemptSubscriber implements Flow.Subscriber<ChatEvent> {
    final DeploymentState state;
    final AttemptContext context;
    final Attempt.Kind kind;
    final int attemptsHere;
    final long start = System.nanoTime();
    final AtomicBoolean ended = new AtomicBoolean();
    volatile Flow.@Nullable Subscription subscription;
    TimerWheel.@Nullable Timer firstTokenTimer; // guarded by the stream's monitor
    boolean timedOut; // guarded by the stream's monitor
    private volatile long firstTokenNanos = -1;
    private long contentChars; // on the attempt's signalling thread

    public AttemptSubscriber(DeploymentState state, AttemptContext context, Attempt.Kind kind,
        int attemptsHere) {
      this.state = state;
      this.context = context;
      this.kind = kind;
      this.attemptsHere = attemptsHere;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      long wanted;
      synchronized (ResilientStream.this) {
        if (subscription != null || cancelled || finished || !live.contains(this)) {
          wanted = -1;
        } else {
          subscription = s;
          wanted = outstanding.get();
        }
      }
      if (wanted < 0) {
        s.cancel();
      } else if (wanted > 0) {
        s.request(wanted); // without the monitor, like request(n)
      }
    }

    public void cancelUpstream() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      context.cancel();
    }

    public Usage estimate() {
      return Usage.estimate(TokenEstimator.input(request), TokenEstimator.tokens(contentChars));
    }

    @Override
    public void onNext(ChatEvent event) {
      if (ended.get()) {
        return;
      }
      if (event.isContent()) {
        if (winner != this && !claim()) {
          return;
        }
        contentChars += Streams.contentChars(event);
        lastEventNanos = System.nanoTime();
        emit(event);
      } else if (event instanceof ChatEvent.Completed c) {
        if (winner != this && !claim()) {
          return;
        }
        succeed(c.response());
      } else if (event instanceof ChatEvent.Failed f) {
        failed(f.error(), f.usage());
      } else if (winner == this) {
        emit(event);
      } else {
        // a usage report before the commit point is absorbed: its counts reach the caller on the
        // terminal event, and a failover must not leave a stale report behind
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1);
        }
      }
    }

    /** Becomes the attempt whose events reach the caller; false if it cannot. */
    private boolean claim() {
      List<AttemptSubscriber> losers = null;
      synchronized (ResilientStream.this) {
        if (finished || cancelled || timedOut || winner != null || !live.contains(this)) {
          return winner == this;
        }
        winner = this;
        firstTokenNanos = System.nanoTime() - start;
        lastEventNanos = System.nanoTime();
        hedgeTimer = ResilientStream.cancel(hedgeTimer);
        firstTokenTimer = ResilientStream.cancel(firstTokenTimer);
        if (live.size() > 1) {
          losers = new ArrayList<>(live);
          losers.remove(this);
          live.retainAll(List.of(this));
        }
        if (state.idleTimeoutNanos() > 0) {
          idleTimer = schedule(ResilientStream.this::idleCheck, state.idleTimeoutNanos());
        }
      }
      if (losers != null) {
        for (AttemptSubscriber loser : losers) {
          loser.cancelUpstream();
          loser.end(loser.outcome(Attempt.Outcome.CANCELLED, null,
              "lost the hedge to " + state.deployment(), loser.estimate()), null);
        }
      }
      return true;
    }

    private void succeed(ChatResponse response) {
      synchronized (ResilientStream.this) {
        if (finished || cancelled) {
          return;
        }
        live.remove(this);
        finished = true;
        cancelTimers();
      }
      end(new Attempt(context.number(), state.deployment(), Attempt.Outcome.SUCCEEDED, null,
          Duration.ofNanos(System.nanoTime() - start), null, null, response.usage(), kind), null);
      ChatResponse answer = response.deployment() != null ? response
          : response.toBuilder().deployment(state.deployment()).build();
      emitTerminal(new ChatEvent.Completed(answer));
    }

    /** The attempt failed: decide what follows, record it, then act outside the monitor. */
    public void failed(GatewayException error, Usage reported) {
      // a provider that fails midway rarely reports usage: what was generated is still billed
      Usage usage = reported.equals(Usage.ZERO) && contentChars > 0 ? estimate() : reported;
      AttemptSubscriber next = null;
      ChatEvent.Failed terminal = null;
      synchronized (ResilientStream.this) {
        if (ended.get() || !live.remove(this)) {
          return; // already ended: cancelled, lost a hedge, or the call's deadline ran out
        }
        firstTokenTimer = ResilientStream.cancel(firstTokenTimer);
        if (finished || cancelled) {
          end(outcome(Attempt.Outcome.FAILED, error, "the call had ended", usage), error);
          return;
        }
        if (winner == this) {
          end(outcome(Attempt.Outcome.FAILED, error,
              "after the commit point: the stream ends", usage), error);
          terminal = finish(error);
        } else if (!live.isEmpty()) {
          planner.failedAlongside(error);
          end(outcome(Attempt.Outcome.FAILED, error, "the hedge beside it still runs", usage),
              error);
        } else {
          Planner.Decision decision = planner.decide(state, attemptsHere, error);
          end(outcome(Attempt.Outcome.FAILED, error, decision.note(), usage), error);
          if (decision.next() == Planner.Next.RETRY) {
            retryTimer = schedule(() -> retry(state, attemptsHere), decision.delayNanos());
          } else if (decision.next() == Planner.Next.FAIL_OVER) {
            next = failover();
          }
          if (decision.next() != Planner.Next.RETRY && next == null) {
            terminal = finish(planner.failure());
          }
        }
      }
      if (next != null) {
        launch(next);
      } else if (terminal != null) {
        emitTerminal(terminal);
      }
    }

    public Attempt outcome(Attempt.Outcome outcome, @Nullable GatewayException error, String note,
        Usage usage) {
      return new Attempt(context.number(), state.deployment(), outcome,
          error == null ? null : error.httpStatus(), Duration.ofNanos(System.nanoTime() - start),
          error == null ? null : error.getClass().getSimpleName(),
          error == null ? note : error.reason() + "; " + note, usage, kind);
    }

    @Override
    public void onError(Throwable t) {
      failed(t instanceof GatewayException g ? g
          : new ProviderUnavailableException("the stream from " + state.deployment()
              + " failed: " + t.getClass().getSimpleName(), ErrorDetails.of(state.deployment()),
              t), Usage.ZERO);
    }

    @Override
    public void onComplete() {
      if (ended.get()) {
        return; // the normal end, after the terminal event
      }
      failed(new ProviderUnavailableException("the stream from " + state.deployment()
          + " ended without a terminal event", ErrorDetails.of(state.deployment()), null),
          Usage.ZERO);
    }

    /** Records the attempt and counts it at the breaker, once; false if ended before. */
    public boolean end(Attempt attempt, @Nullable GatewayException error) {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      long ttft = firstTokenNanos;
      Outcomes.count(state.breaker(), attempt, error,
          ttft >= 0 ? ttft : attempt.latency().toNanos());
      execute.endAttempt(call, attempt);
      return true;
    }
  }
}
