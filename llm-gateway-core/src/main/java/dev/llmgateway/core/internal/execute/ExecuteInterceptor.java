package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallLog;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.call.RealChain;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.Provider;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The execute step, the end of the call's chain: runs the plan's candidates through one {@link
 * AttemptSequencer} — a unary call as a {@link UnaryExecution}, a stream as a {@link
 * StreamExecution} — each attempt through the around-attempt interceptors and the transport. In
 * this order: a candidate whose circuit is open or that cools down after a 429 is skipped; an
 * attempt is bounded by its attempt timeout and the call's deadline; a failure is retried at the
 * same deployment (backoff, or the server's {@code Retry-After}) while its {@link
 * dev.llmgateway.core.resilience.FailureAction} and {@link
 * dev.llmgateway.core.resilience.RetryPolicy} allow and the deadline leaves time, then fails over
 * to the next candidate; each outcome is counted by the deployment's circuit breaker. A route may
 * hedge: the next candidate starts beside a first attempt that is slow, and the first to commit
 * wins. Failover wraps retry wraps the breaker's permit wraps the attempt's deadline wraps the
 * transport.
 *
 * <p>The loop is the project's own rather than Failsafe's: it has to stop at a stream's commit
 * point, weigh a server's delay against the call's deadline, hedge, and keep breaker time on the
 * injected clock and waits on the injected scheduler, none of which Failsafe's policies express.
 */
public final class ExecuteInterceptor implements Step {
  private final Interceptor[] attemptChain;
  private final GatewayListener listener;
  private final Resilience resilience;
  private final Map<String, Provider> providers;
  private final Executor executor;
  private final CallLog log;

  /**
   * The execute step over {@code attemptChain} (the around-attempt interceptors, then the
   * transport); hedges and retries after a backoff run on {@code executor}, with the call's MDC
   * keys set by {@code log}.
   */
  public ExecuteInterceptor(Interceptor[] attemptChain, GatewayListener listener,
      Resilience resilience, Map<String, Provider> providers, Executor executor, CallLog log) {
    this.attemptChain = attemptChain;
    this.listener = listener;
    this.resilience = resilience;
    this.providers = providers;
    this.executor = executor;
    this.log = log;
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    if (call.kind() == CallKind.STREAM) {
      return new StreamExecution(this, call, (ChatRequest) chain.request());
    }
    return new UnaryExecution(this, call, chain.request()).run();
  }

  Planner planner(Call call, Plan plan) {
    return new Planner(resilience, providers, call, plan);
  }

  Resilience resilience() {
    return resilience;
  }

  Executor executor() {
    return executor;
  }

  /** The gateway's log, for the MDC of work on the executor. */
  CallLog log() {
    return log;
  }

  /** Waits on the scheduler; false when interrupted (the call then ends with what it has). */
  boolean pause(long nanos) {
    if (nanos <= 0) {
      return true;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    resilience.timers().schedule(() -> done.complete(null), nanos);
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

  /**
   * Starts an attempt: its number, its deadline (the call's, shortened by the attempt timeout —
   * for a stream, the first-token timeout, which the transport applies to the response's start).
   */
  AttemptContext startAttempt(Call call, DeploymentState state, Attempt.Kind kind,
      boolean stream, GatewayRequest request) {
    long deadline = call.deadlineNanos();
    long limit = stream ? state.firstTokenTimeoutNanos() : state.attemptTimeoutNanos();
    if (limit > 0) {
      deadline = Math.min(deadline, System.nanoTime() + limit);
    }
    Provider provider = providers.get(state.deployment().provider());
    AttemptContext attempt = new AttemptContext(call.callId(), state.deployment(),
        call.nextAttemptNumber(), deadline, call.endUserHash(),
        provider == null ? null : provider.identity());
    if (!stream) {
      attempt.deadlineEnforced(); // UnaryAttempt's watch cancels it at the deadline
    }
    listener.onAttemptStart(call, attempt, request);
    return attempt;
  }

  /** Runs one attempt through the around-attempt interceptors and the transport. */
  CallResult attempt(Call call, GatewayRequest request, AttemptContext attempt) {
    return new RealChain(attemptChain, 0, call, request, attempt).proceed(request);
  }

  /** Runs one streamed attempt; an interceptor's unary answer becomes a stream of it. */
  ChatStream startStream(Call call, ChatRequest request, AttemptContext attempt) {
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

  /**
   * Adds an ended attempt to the call's story; the listeners hear of it, with the provider's
   * answer when it succeeded.
   */
  void endAttempt(Call call, AttemptContext context, Attempt attempt,
      @Nullable CallResult answer) {
    call.recordAttempt(attempt);
    listener.onAttemptEnd(call, context, attempt, answer);
  }

  static GatewayInternalException internal(Deployment deployment, Throwable e) {
    return new GatewayInternalException(
        "attempt at " + deployment + " failed with " + e.getClass().getName(),
        ErrorDetails.of(deployment), e);
  }
}
