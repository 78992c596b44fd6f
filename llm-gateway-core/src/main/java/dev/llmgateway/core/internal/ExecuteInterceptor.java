package dev.llmgateway.core.internal;

import dev.llmgateway.AllCandidatesFailedException;
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
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Step 7, the end of the call's chain: runs the plan's candidates in order, each attempt through
 * the around-attempt interceptors and the transport, and fails over to the next candidate when an
 * attempt fails with a retriable error or an exhausted quota. Streams fail over the same way until
 * their commit point ({@link FailoverStream}).
 */
final class ExecuteInterceptor implements Interceptor {
  private final Interceptor[] attemptChain;
  private final GatewayListener listener;
  private final @Nullable Duration attemptTimeout;

  ExecuteInterceptor(Interceptor[] attemptChain, GatewayListener listener,
      @Nullable Duration attemptTimeout) {
    this.attemptChain = attemptChain;
    this.listener = listener;
    this.attemptTimeout = attemptTimeout;
  }

  @Override
  public CallResult intercept(Chain chain) {
    CallState call = (CallState) chain.call();
    if (call.kind() == CallKind.STREAM) {
      return new FailoverStream(this, call, (ChatRequest) chain.request(), call.plan());
    }
    return runUnary(call, chain.request());
  }

  private CallResult runUnary(CallState call, GatewayRequest request) {
    List<Deployment> plan = call.plan();
    List<GatewayException> failures = null;
    for (int i = 0; i < plan.size(); i++) {
      Deployment deployment = plan.get(i);
      AttemptContext attempt = startAttempt(call, deployment);
      long start = System.nanoTime();
      try {
        CallResult result = attempt(call, request.withModel(deployment.model()), attempt);
        endAttempt(call, new Attempt(attempt.number(), deployment, Attempt.Outcome.SUCCEEDED, null,
            Duration.ofNanos(System.nanoTime() - start), null, null, usageOf(result)));
        return result;
      } catch (GatewayException e) {
        endAttempt(call, failedAttempt(attempt, e, start, Usage.ZERO));
        if (failures == null) {
          failures = new ArrayList<>(plan.size());
        }
        failures.add(e);
        if (!movesOn(e) || !hasTimeFor(call)) {
          break;
        }
      } catch (RuntimeException e) {
        GatewayInternalException bug = internal(attempt.deployment(), e);
        endAttempt(call, failedAttempt(attempt, bug, start, Usage.ZERO));
        throw bug;
      }
    }
    throw failure(call, failures);
  }

  AttemptContext startAttempt(CallState call, Deployment deployment) {
    long deadline = call.deadlineNanos();
    if (attemptTimeout != null) {
      deadline = Math.min(deadline, System.nanoTime() + attemptTimeout.toNanos());
    }
    AttemptContext attempt = new AttemptContext(call.callId(), deployment,
        call.nextAttemptNumber(), deadline, call.endUserHash());
    listener.onAttemptStart(call, attempt);
    return attempt;
  }

  CallResult attempt(CallState call, GatewayRequest request, AttemptContext attempt) {
    return new RealChain(attemptChain, 0, call, request, attempt).proceed(request);
  }

  void endAttempt(CallState call, Attempt attempt) {
    call.recordAttempt(attempt);
    listener.onAttemptEnd(call, attempt);
  }

  static Attempt failedAttempt(AttemptContext attempt, GatewayException e, long startNanos,
      Usage usage) {
    return new Attempt(attempt.number(), attempt.deployment(), Attempt.Outcome.FAILED,
        e.httpStatus(), Duration.ofNanos(System.nanoTime() - startNanos),
        e.getClass().getSimpleName(), e.reason(), usage);
  }

  static GatewayInternalException internal(Deployment deployment, Throwable e) {
    return new GatewayInternalException(
        "attempt at " + deployment + " failed with " + e.getClass().getName(),
        dev.llmgateway.ErrorDetails.of(deployment), e);
  }

  /** Whether a failure lets the call move on to the next candidate. */
  static boolean movesOn(GatewayException e) {
    return e.isRetriable() || e instanceof QuotaExhaustedException;
  }

  static boolean hasTimeFor(CallState call) {
    return call.deadlineNanos() == AttemptContext.NO_DEADLINE
        || System.nanoTime() < call.deadlineNanos();
  }

  static GatewayException failure(CallState call, @Nullable List<GatewayException> failures) {
    if (failures == null || failures.isEmpty()) {
      return new GatewayInternalException("routing produced no candidate deployment");
    }
    return failures.size() == 1
        ? failures.get(0)
        : new AllCandidatesFailedException(call.attempts(), failures);
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

  ChatStream startStream(CallState call, ChatRequest request, AttemptContext attempt) {
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
}
