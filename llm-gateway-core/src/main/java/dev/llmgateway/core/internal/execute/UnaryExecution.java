package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallCancelledException;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.spi.AttemptContext;
import java.time.Duration;
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
  private volatile @Nullable CallResult answer;
  private volatile @Nullable GatewayException failure;
  /** Set (under the monitor) before the caller waits, so a winner on another thread wakes it. */
  private volatile boolean waiting;

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
      if (Thread.currentThread().isInterrupted()) {
        interrupted(attempt, new CallCancelledException("the thread of call " + call.callId()
            + " was interrupted during its attempt at " + deployment, e));
      } else {
        failed(attempt, totalIfDeadlinePassed(e), Usage.ZERO);
      }
      return;
    } catch (RuntimeException e) {
      broke(attempt, ExecuteInterceptor.internal(deployment, e));
      return;
    }
    if (won(attempt, usageOf(result))) {
      answer = result;
      if (waiting) {
        synchronized (this) {
          notifyAll();
        }
      }
    }
  }

  @Override
  @Nullable Runnable backoff(DeploymentState state, int attemptsHere, long delayNanos) {
    return () -> {
      if (execute.pause(delayNanos)) {
        retry(state, attemptsHere);
      } else {
        cancel("the caller's thread was interrupted during a backoff");
        synchronized (this) {
          failure = planFailure();
          notifyAll();
        }
      }
    };
  }

  @Override
  @Nullable Runnable failure(GatewayException failure) {
    this.failure = failure; // under the monitor
    notifyAll();
    return null;
  }

  /**
   * The call's answer, or its failure thrown. Waits (releasing the monitor) only when the caller's
   * own attempt ended without them: a hedge beside it, or a failover on another thread, still
   * runs. The answer and the waiting flag are volatile, so a caller whose attempt won reads its
   * answer without taking the monitor.
   */
  private CallResult await() {
    CallResult a = answer;
    if (a != null) {
      return a;
    }
    synchronized (this) {
      waiting = true;
      while (answer == null && failure == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          break; // neither came: the call is cancelled below
        }
      }
    }
    a = answer;
    if (a != null) {
      return a;
    }
    GatewayException failed = failure;
    if (failed != null) {
      throw failed;
    }
    Thread.currentThread().interrupt();
    cancel("the caller's thread was interrupted");
    throw new CallCancelledException("the thread of call " + call.callId()
        + " was interrupted while waiting for its attempts", null);
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
