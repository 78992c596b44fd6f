package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.spi.AttemptContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A unary call (chat or embedding) through the {@link AttemptSequencer}: an attempt runs the
 * around-attempt interceptors and the transport's blocking call, and commits when it returns its
 * answer. The first attempt runs on the caller's thread, so a call that needs no second attempt
 * makes no thread hop (an unfired hedge costs one timer); a failover runs on the thread whose
 * attempt failed, a retry waits its backoff on it, a hedge runs on the executor. The caller waits
 * only when its own attempt ended without the call's answer (a hedge beside it still runs).
 *
 * <p>A unary attempt's transport call is bounded by the attempt's deadline (the attempt timeout
 * and the call's deadline), so no gateway timer watches it.
 */
final class UnaryExecution extends AttemptSequencer {
  private final CompletableFuture<CallResult> done = new CompletableFuture<>();

  UnaryExecution(ExecuteInterceptor execute, Call call, GatewayRequest request) {
    super(execute, call, request);
  }

  /** Runs the call's attempts; returns the winner's answer or throws the call's failure. */
  CallResult run() {
    LiveAttempt first;
    Runnable end = null;
    synchronized (this) {
      first = first();
      if (first == null) {
        end = noCandidate();
      }
    }
    if (first != null) {
      launch(first);
    } else if (end != null) {
      end.run();
    }
    return await();
  }

  @Override
  LiveAttempt newAttempt(DeploymentState state, Attempt.Kind kind, int attemptsHere) {
    return new LiveAttempt(this, state, startContext(state, kind, false), kind, attemptsHere);
  }

  @Override
  void launch(LiveAttempt attempt) {
    if (cancelled) {
      return;
    }
    Deployment deployment = attempt.state.deployment();
    CallResult result;
    try {
      result = execute.attempt(call, request.withModel(deployment.model()), attempt.context);
    } catch (GatewayException e) {
      failed(attempt, totalIfDeadlinePassed(e), Usage.ZERO);
      return;
    } catch (RuntimeException e) {
      broke(attempt, ExecuteInterceptor.internal(deployment, e));
      return;
    }
    if (commit(attempt) && completed(attempt, usageOf(result))) {
      done.complete(result);
    }
  }

  @Override
  @Nullable Runnable backoff(DeploymentState state, int attemptsHere, long delayNanos) {
    return () -> {
      if (execute.pause(delayNanos)) {
        retry(state, attemptsHere);
      } else {
        cancel("the caller's thread was interrupted during a backoff");
        done.completeExceptionally(planFailure());
      }
    };
  }

  @Override
  @Nullable Runnable failure(GatewayException failure) {
    return () -> done.completeExceptionally(failure);
  }

  private CallResult await() {
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel("the caller's thread was interrupted");
      throw new GatewayInternalException("interrupted while waiting for the call's attempts");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof GatewayException g) {
        throw g;
      }
      throw new GatewayInternalException("an attempt failed unexpectedly",
          dev.llmgateway.ErrorDetails.NONE, cause);
    }
  }

  /**
   * A transport's timeout at the call's own deadline is the call's timeout ({@code TOTAL}), not the
   * attempt's: the attempt was only given what the call had left.
   */
  private GatewayException totalIfDeadlinePassed(GatewayException e) {
    if (e instanceof GatewayTimeoutException t && t.kind() != GatewayTimeoutException.Kind.TOTAL
        && call.deadlineNanos() != AttemptContext.NO_DEADLINE
        && System.nanoTime() >= call.deadlineNanos()) {
      return new GatewayTimeoutException(GatewayTimeoutException.Kind.TOTAL,
          Duration.ofNanos(call.deadlineNanos() - call.startNanos()), t.details(), t);
    }
    return e;
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
}
