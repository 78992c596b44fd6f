package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.call.Streams;
import dev.llmgateway.core.internal.chain.RealChain;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.core.internal.health.Outcomes;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.internal.TimerWheel;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.TokenEstimator;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Step 7, the end of the call's chain: runs the plan's candidates, each attempt through the
 * around-attempt interceptors and the transport. In this order: a candidate whose circuit is open
 * or that cools down after a 429 is skipped; an attempt is bounded by its attempt timeout and the
 * call's deadline; a failure is retried at the same deployment (backoff, or the server's {@code
 * Retry-After}) while its {@link dev.llmgateway.core.resilience.FailureAction} and {@link
 * dev.llmgateway.core.resilience.RetryPolicy} allow and the deadline leaves time, then fails over to the next
 * candidate; each outcome is counted by the deployment's circuit breaker. A route may hedge: the
 * next candidate starts in parallel when the first is slow, and the first answer wins. Streams do
 * the same until their commit point ({@link ResilientStream}).
 *
 * <p>The loop is the project's own rather than Failsafe's: it has to stop at a stream's commit
 * point, weigh a server's delay against the call's deadline, hedge, and keep breaker time on the
 * injected clock and waits on the injected scheduler, none of which Failsafe's policies express.
 */
public final class ExecuteInterceptor implements Interceptor {
  private final Interceptor[] attemptChain;
  private final GatewayListener listener;
  private final Resilience resilience;
  private final Map<String, Provider> providers;
  private final Executor executor;

  public ExecuteInterceptor(Interceptor[] attemptChain, GatewayListener listener, Resilience resilience,
      Map<String, Provider> providers, Executor executor) {
    this.attemptChain = attemptChain;
    this.listener = listener;
    this.resilience = resilience;
    this.providers = providers;
    this.executor = executor;
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    if (call.kind() == CallKind.STREAM) {
      return new ResilientStream(this, call, (ChatRequest) chain.request(), planner(call));
    }
    return runUnary(call, chain.request());
  }

  public Planner planner(Call call) {
    return new Planner(resilience, providers, call);
  }

  public Resilience resilience() {
    return resilience;
  }

  public Executor executor() {
    return executor;
  }

  private CallResult runUnary(Call call, GatewayRequest request) {
    Planner planner = planner(call);
    DeploymentState state = planner.next();
    HedgePolicy hedge = hedgePolicy(call);
    Attempt.Kind kind = Attempt.Kind.FIRST;
    int here = 0;
    while (state != null) {
      UnaryAttempt attempt = new UnaryAttempt(state, startAttempt(call, state, kind, false), kind);
      UnaryAttempt ended = hedge != null && kind == Attempt.Kind.FIRST
          ? hedged(call, request, planner, attempt, hedge)
          : run(call, request, attempt);
      if (ended.result != null) {
        return ended.result;
      }
      if (ended != attempt) {
        here = 0; // the hedge's attempt failed last: decide on its deployment
      }
      here++;
      state = ended.state;
      GatewayException error = ended.requireError();
      Planner.Decision decision = planner.decide(state, here, error);
      ended.end(this, call, failedAttempt(ended.context, error, ended.startNanos, Usage.ZERO,
          decision.note(), ended.kind), error);
      if (decision.next() == Planner.Next.RETRY && pause(decision.delayNanos())
          && planner.regrant(state)) {
        kind = Attempt.Kind.RETRY;
        continue;
      }
      if (decision.next() == Planner.Next.STOP || Thread.currentThread().isInterrupted()) {
        break;
      }
      state = planner.next();
      kind = Attempt.Kind.FAILOVER;
      here = 0;
    }
    throw planner.failure();
  }

  /** Runs one attempt on this thread; a failure is returned, not yet recorded. */
  private UnaryAttempt run(Call call, GatewayRequest request, UnaryAttempt attempt) {
    Deployment deployment = attempt.state.deployment();
    try {
      CallResult result = attempt(call, request.withModel(deployment.model()), attempt.context);
      long took = System.nanoTime() - attempt.startNanos;
      attempt.end(this, call, new Attempt(attempt.context.number(), deployment,
          Attempt.Outcome.SUCCEEDED, null, Duration.ofNanos(took), null, null, usageOf(result),
          attempt.kind), null);
      attempt.result = result;
    } catch (GatewayException e) {
      attempt.error = totalIfDeadlinePassed(call, e); // recorded by whoever decides what follows
    } catch (RuntimeException e) {
      GatewayInternalException bug = internal(deployment, e);
      attempt.end(this, call, failedAttempt(attempt.context, bug, attempt.startNanos, Usage.ZERO,
          "a bug in an interceptor or transport", attempt.kind), bug);
      throw bug;
    }
    return attempt;
  }

  /**
   * A transport's timeout at the call's own deadline is the call's timeout ({@code TOTAL}), not the
   * attempt's: the attempt was only given what the call had left.
   */
  private static GatewayException totalIfDeadlinePassed(Call call, GatewayException e) {
    if (e instanceof GatewayTimeoutException t && t.kind() != GatewayTimeoutException.Kind.TOTAL
        && call.deadlineNanos() != AttemptContext.NO_DEADLINE
        && System.nanoTime() >= call.deadlineNanos()) {
      return new GatewayTimeoutException(GatewayTimeoutException.Kind.TOTAL,
          Duration.ofNanos(call.deadlineNanos() - call.startNanos()), t.details(), t);
    }
    return e;
  }

  /**
   * Runs the first attempt on this thread and, if it has not ended after the hedge threshold, the
   * next candidate beside it on the executor; returns the first success, or the attempt that
   * failed last when both fail. The first attempt needs no thread hop, so an unfired hedge costs
   * one timer.
   */
  private UnaryAttempt hedged(Call call, GatewayRequest request, Planner planner,
      UnaryAttempt first, HedgePolicy hedge) {
    Hedge h = new Hedge();
    long threshold = hedge.thresholdNanos(hedge.percentile() == 0 ? -1
        : first.state.breaker().latencyPercentileNanos(hedge.percentile()));
    TimerWheel.Timer timer = resilience.timers().schedule(
        () -> startHedge(call, request, planner, first, h), threshold);
    try {
      run(call, request, first);
    } finally {
      timer.cancel();
    }
    UnaryAttempt second;
    CompletableFuture<UnaryAttempt> secondDone;
    boolean secondFailed;
    synchronized (h) {
      h.firstEnded = true;
      second = h.second;
      secondDone = h.secondDone;
      secondFailed = h.secondFailed;
    }
    if (second == null || secondDone == null) {
      return first; // no hedge was started
    }
    if (first.result != null) {
      if (h.decided.compareAndSet(false, true)) {
        loses(call, second, first.state.deployment());
        return first;
      }
      return join(secondDone, first, second); // the hedge won a moment earlier
    }
    if (h.decided.get() || secondFailed) {
      // the hedge won and cancelled the first attempt, or both failed (the first one last)
      return h.decided.get() ? join(secondDone, first, second) : first;
    }
    synchronized (h) {
      planner.failedAlongside(first.requireError());
    }
    first.end(this, call, failedAttempt(first.context, first.requireError(), first.startNanos,
        Usage.ZERO, "the hedge beside it still runs", first.kind), first.error);
    return join(secondDone, first, second);
  }

  /** The hedge threshold passed: start the next candidate beside the first attempt. */
  private void startHedge(Call call, GatewayRequest request, Planner planner,
      UnaryAttempt first, Hedge h) {
    UnaryAttempt second;
    synchronized (h) {
      if (h.firstEnded) {
        return;
      }
      DeploymentState next = planner.next();
      if (next == null) {
        return;
      }
      second = new UnaryAttempt(next, startAttempt(call, next, Attempt.Kind.HEDGE, false),
          Attempt.Kind.HEDGE);
      h.second = second;
      h.secondDone = runAsync(call, request, second);
    }
    h.secondDone.thenAccept(ended -> {
      if (ended.result != null) {
        if (h.decided.compareAndSet(false, true)) {
          loses(call, first, ended.state.deployment()); // cancels the first attempt's call
        }
        return;
      }
      synchronized (h) {
        if (!h.firstEnded && ended.error != null) {
          h.secondFailed = true;
          planner.failedAlongside(ended.error);
          ended.end(this, call, failedAttempt(ended.context, ended.error, ended.startNanos,
              Usage.ZERO, "the attempt it hedged still runs", ended.kind), ended.error);
        }
      }
    });
  }

  /** One hedged call's shared state; planner use is serialised on it. */
  private static final class Hedge {
    final AtomicBoolean decided = new AtomicBoolean();
    @Nullable UnaryAttempt second; // guarded by this
    @Nullable CompletableFuture<UnaryAttempt> secondDone; // guarded by this
    boolean firstEnded; // guarded by this
    boolean secondFailed; // guarded by this
  }

  /** Cancels the losing attempt of a hedge and records it with its estimated input tokens. */
  private void loses(Call call, UnaryAttempt loser, Deployment winner) {
    loser.end(this, call, new Attempt(loser.context.number(), loser.state.deployment(),
        Attempt.Outcome.CANCELLED, null, Duration.ofNanos(System.nanoTime() - loser.startNanos),
        null, "lost the hedge to " + winner,
        Usage.estimate(TokenEstimator.input(call.originalRequest()), 0), loser.kind), null);
    loser.context.cancel();
  }

  private CompletableFuture<UnaryAttempt> runAsync(Call call, GatewayRequest request,
      UnaryAttempt attempt) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return run(call, request, attempt);
      } catch (GatewayInternalException bug) {
        attempt.error = bug;
        return attempt;
      }
    }, executor);
  }

  private UnaryAttempt join(CompletableFuture<UnaryAttempt> done, UnaryAttempt first,
      @Nullable UnaryAttempt second) {
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      first.context.cancel();
      if (second != null) {
        second.context.cancel();
      }
      throw new GatewayInternalException("interrupted while waiting for a hedged call");
    } catch (ExecutionException e) {
      throw new GatewayInternalException("a hedged attempt failed unexpectedly",
          dev.llmgateway.ErrorDetails.NONE, e.getCause());
    }
  }

  /** Waits on the scheduler; false when interrupted (the call then ends with what it has). */
  public boolean pause(long nanos) {
    if (nanos <= 0) {
      return true;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable wake = () -> done.complete(null);
    resilience.timers().schedule(wake, nanos);
    try {
      done.get();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  private static @Nullable HedgePolicy hedgePolicy(Call call) {
    Plan plan = call.plan();
    Route route = plan == null ? null : plan.settings();
    return route == null || plan.candidates().size() < 2 ? null : route.hedgePolicy();
  }

  /**
   * Starts an attempt: its number, its deadline (the call's, shortened by the attempt timeout —
   * for a stream, the first-token timeout, which the transport applies to the response's start).
   */
  public AttemptContext startAttempt(Call call, DeploymentState state, Attempt.Kind kind,
      boolean stream) {
    long deadline = call.deadlineNanos();
    long limit = stream ? state.firstTokenTimeoutNanos() : state.attemptTimeoutNanos();
    if (limit > 0) {
      deadline = Math.min(deadline, System.nanoTime() + limit);
    }
    AttemptContext attempt = new AttemptContext(call.callId(), state.deployment(),
        call.nextAttemptNumber(), deadline, call.endUserHash());
    listener.onAttemptStart(call, attempt);
    return attempt;
  }

  public CallResult attempt(Call call, GatewayRequest request, AttemptContext attempt) {
    return new RealChain(attemptChain, 0, call, request, attempt).proceed(request);
  }

  public void endAttempt(Call call, Attempt attempt) {
    call.recordAttempt(attempt);
    listener.onAttemptEnd(call, attempt);
  }

  public static Attempt failedAttempt(AttemptContext attempt, GatewayException e, long startNanos,
      Usage usage, String note, Attempt.Kind kind) {
    return new Attempt(attempt.number(), attempt.deployment(), Attempt.Outcome.FAILED,
        e.httpStatus(), Duration.ofNanos(System.nanoTime() - startNanos),
        e.getClass().getSimpleName(), e.reason() + "; " + note, usage, kind);
  }

  public static GatewayInternalException internal(Deployment deployment, Throwable e) {
    return new GatewayInternalException(
        "attempt at " + deployment + " failed with " + e.getClass().getName(),
        dev.llmgateway.ErrorDetails.of(deployment), e);
  }

  private static Usage usageOf(CallResult result) {
    if (result instanceof ChatResponse r) {
      return r.usage();
    }
    if (result instanceof EmbeddingResponse e) {
      return e.usage();
    }
    return Usage.ZERO;
  }

  public ChatStream startStream(Call call, ChatRequest request, AttemptContext attempt) {
    CallResult result = attempt(call, request, attempt);
    if (result instanceof ChatStream s) {
      return s;
    }
    if (result instanceof ChatResponse r) {
      return ChatStream.fromResponse(r, Runnable::run);
    }
    throw new IllegalStateException("an around-attempt interceptor answered a stream call with "
        + result.getClass().getName());
  }

  /** One unary attempt: what it ran on, and how it ended. */
  private static final class UnaryAttempt {
    final DeploymentState state;
    final AttemptContext context;
    final Attempt.Kind kind;
    final long startNanos = System.nanoTime();
    final AtomicBoolean ended = new AtomicBoolean();
    volatile @Nullable CallResult result;
    volatile @Nullable GatewayException error;

    public UnaryAttempt(DeploymentState state, AttemptContext context, Attempt.Kind kind) {
      this.state = state;
      this.context = context;
      this.kind = kind;
    }

    /**
     * Records the attempt's story and its outcome at the deployment's breaker, once; false if it
     * was recorded before.
     */
    public boolean end(ExecuteInterceptor execute, Call call, Attempt attempt,
        @Nullable GatewayException error) {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      Outcomes.count(state.breaker(), attempt, error, attempt.latency().toNanos());
      execute.endAttempt(call, attempt);
      return true;
    }

    public GatewayException requireError() {
      GatewayException e = error;
      if (e == null) {
        throw new IllegalStateException("attempt ended without a result or an error");
      }
      return e;
    }
  }
}
