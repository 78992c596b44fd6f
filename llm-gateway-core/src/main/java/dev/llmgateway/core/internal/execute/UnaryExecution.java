package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallCancelledException;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
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
 * <p>The gateway enforces a unary attempt's deadline (the attempt timeout, or what the call's
 * deadline leaves) itself, whatever the transport does with it: a timer at the deadline fails the
 * attempt, cancels its context and interrupts the thread still inside the transport ({@link
 * UnaryAttempt}). The transport is handed the same deadline and normally ends first.
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
    call.onCancel(() -> cancel("the caller cancelled"));
    LiveAttempt first = null;
    Runnable end = null;
    synchronized (this) {
      if (!cancelled) { // cancelled before its first attempt: nothing is sent
        first = first();
        if (first == null) {
          end = noCandidate();
        }
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
    return new UnaryAttempt(this, state, startContext(state, kind, false), kind, attemptsHere);
  }

  @Override
  void launch(LiveAttempt live) {
    if (cancelled) {
      return;
    }
    UnaryAttempt attempt = (UnaryAttempt) live;
    Deployment deployment = attempt.state.deployment();
    CallResult result = null;
    GatewayException error = null;
    Exception bug = null;
    attempt.enter();
    try {
      result = execute.attempt(call, request.withModel(deployment.model()), attempt.context);
    } catch (GatewayException e) {
      error = e;
    } catch (Exception e) { // also a checked one thrown undeclared (Kotlin's InterruptedException)
      bug = e;
    }
    if (attempt.leave()) {
      // the deadline's watch claimed the attempt while the transport ran: it records the timeout
      failed(attempt, timeoutOf(attempt), attempt.estimate());
    } else if (result != null) {
      attempt.answer = result;
      if (won(attempt, usageOf(result))) {
        answer = result;
        if (waiting) {
          synchronized (this) {
            notifyAll();
          }
        }
      }
    } else if (Thread.currentThread().isInterrupted() || bug instanceof InterruptedException) {
      interrupted(attempt, new CallCancelledException("the thread of call " + call.callId()
          + " was interrupted during its attempt at " + deployment, error != null ? error : bug));
      if (bug instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } else if (bug != null) {
      broke(attempt, ExecuteInterceptor.internal(deployment, bug));
    } else if (error != null) {
      failed(attempt, totalIfDeadlinePassed(error), Usage.ZERO);
    }
  }

  /**
   * The attempt's deadline passed (on the executor): if its thread is still inside the transport,
   * the attempt fails with the timeout now, whatever the provider does, and the call moves on — a
   * failover runs on this thread, the caller hears the end as soon as its own thread is free.
   */
  void overran(UnaryAttempt attempt) {
    if (attempt.claim()) {
      failed(attempt, timeoutOf(attempt), attempt.estimate());
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
  void cancelled(String reason) {
    synchronized (this) {
      if (failure == null && answer == null) {
        failure = new CallCancelledException("call " + call.callId() + ": " + reason, null);
      }
      notifyAll();
    }
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
      return totalTimeout(t.details(), t);
    }
    return e;
  }

  /**
   * The timeout an attempt's deadline means: the call's own ({@code TOTAL}) when the attempt was
   * given all the call had left, else the attempt's.
   */
  private GatewayTimeoutException timeoutOf(UnaryAttempt attempt) {
    ErrorDetails details = ErrorDetails.of(attempt.state.deployment());
    if (attempt.context.deadlineNanos() == call.deadlineNanos()) {
      return totalTimeout(details, null);
    }
    return new GatewayTimeoutException(GatewayTimeoutException.Kind.ATTEMPT,
        Duration.ofNanos(attempt.state.attemptTimeoutNanos()), details, null);
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
