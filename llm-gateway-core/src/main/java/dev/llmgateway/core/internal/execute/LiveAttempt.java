package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallResult;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.core.internal.health.Outcomes;
import dev.llmgateway.spi.AttemptContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One attempt an {@link AttemptSequencer} started: the deployment it runs on, its context (number,
 * deadline, extra headers, cancellation), its kind, how many attempts its deployment has had in
 * this call, and the once-only record of how it ended. Unary and streamed attempts share it; a
 * stream's attempt adds its subscription and first-token timer ({@link StreamExecution}).
 */
class LiveAttempt {
  final DeploymentState state;
  final AttemptContext context;
  final Attempt.Kind kind;
  /** Attempts at this deployment in this call so far, this one included. */
  final int attemptsHere;
  final long startNanos = System.nanoTime();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AttemptSequencer sequencer;
  /**
   * The provider's answer, set by the thread that got it just before the attempt may succeed; the
   * listeners get it with a success.
   */
  volatile @Nullable CallResult answer;
  /** When its first content arrived, relative to its start; -1 before (streams only). */
  volatile long firstTokenNanos = -1;

  LiveAttempt(AttemptSequencer sequencer, DeploymentState state, AttemptContext context,
      Attempt.Kind kind, int attemptsHere) {
    this.sequencer = sequencer;
    this.state = state;
    this.context = context;
    this.kind = kind;
    this.attemptsHere = attemptsHere;
  }

  /** Whether its outcome has been recorded. */
  final boolean hasEnded() {
    return ended.get();
  }

  /** Cancels its transport call (a stream's attempt also cancels its subscription). */
  void cancelUpstream() {
    context.cancel();
  }

  /** What it has cost so far when it ends early: its estimated input, and any output seen. */
  Usage estimate() {
    return sequencer.estimatedInput();
  }

  /**
   * Records the attempt in the call's story and counts it at its deployment's breaker, once;
   * false when it was recorded before.
   */
  final boolean end(Attempt attempt, @Nullable GatewayException error) {
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    long ttft = firstTokenNanos;
    Outcomes.count(state, attempt, error,
        ttft >= 0 ? ttft : attempt.latency().toNanos(), ttft >= 0, sequencer.call);
    sequencer.record(context, attempt,
        attempt.outcome() == Attempt.Outcome.SUCCEEDED ? answer : null);
    return true;
  }

  /**
   * Records a success with the usage the provider reported and the HTTP status its transport
   * reported on the attempt's context (null from a provider that does not speak HTTP).
   */
  final boolean succeeded(Usage usage) {
    return end(new Attempt(context.number(), state.deployment(), Attempt.Outcome.SUCCEEDED,
        context.httpStatus(), Duration.ofNanos(System.nanoTime() - startNanos), null, null, usage,
        kind), null);
  }

  /**
   * The attempt's story: how it ended and why the call moved on (or stopped). Its HTTP status is
   * the error's, else the one the transport reported before the attempt ended (a stream cut after
   * its 200, a loser cancelled mid-answer).
   */
  final Attempt outcome(Attempt.Outcome outcome, @Nullable GatewayException error, String note,
      Usage usage) {
    Integer status = error == null ? null : error.httpStatus();
    return new Attempt(context.number(), state.deployment(), outcome,
        status != null ? status : context.httpStatus(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        error == null ? null : error.getClass().getSimpleName(),
        error == null ? note : error.reason() + "; " + note, usage, kind);
  }
}
