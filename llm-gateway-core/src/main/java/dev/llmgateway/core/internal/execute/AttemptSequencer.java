package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallCancelledException;
import dev.llmgateway.CallResult;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallLog;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.internal.TimerWheel;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.TokenEstimator;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The execute step's one attempt loop, shared by unary calls, embeddings and streams: skip the
 * candidates whose breaker refuses (recorded), attempt, and after a failure retry the same
 * deployment after a backoff, fail over to the next candidate, or end the call — as the {@link
 * Planner} decides; hedge (start the next candidate beside a first attempt that is slow); and at
 * the <em>commit point</em> pick the winner and cancel the others. The two callers differ only in
 * how an attempt runs and when it commits: a unary attempt ({@link UnaryExecution}) runs the
 * transport's call and commits when it returns its answer; a streamed attempt ({@link
 * StreamExecution}) subscribes to the transport's stream and commits at its first content event,
 * after which a failure ends the stream instead of moving on.
 *
 * <p>Threading: decisions (which attempt runs, wins or ends; the planner's state) are made under
 * this object's monitor; attempts are started outside it, on the thread that decided them (the
 * caller's for a first attempt, the failing attempt's for a failover) or, when a timer decided
 * (a retry's backoff, a hedge, a stream's first-token, idle or total timeout), on the gateway's
 * executor: the gateway's timers only fire and hand their work over ({@link
 * dev.llmgateway.core.internal.call.Timers#handingTo}). What ends the call is delivered outside
 * the monitor.
 */
abstract class AttemptSequencer {
  final ExecuteInterceptor execute;
  final Call call;
  final GatewayRequest request;
  private final Planner planner; // guarded by this
  private final @Nullable HedgePolicy hedge;
  /** The attempts running now: none, one, or two while a hedge runs beside the first. */
  private @Nullable LiveAttempt live0; // guarded by this
  private @Nullable LiveAttempt live1; // guarded by this
  /** The attempt that passed the commit point, or null before. */
  volatile @Nullable LiveAttempt winner;
  boolean finished; // guarded by this
  volatile boolean cancelled;
  private TimerWheel.@Nullable Timer hedgeTimer; // guarded by this
  private TimerWheel.@Nullable Timer retryTimer; // guarded by this

  AttemptSequencer(ExecuteInterceptor execute, Call call, GatewayRequest request) {
    this.execute = execute;
    this.call = call;
    this.request = request;
    Plan plan = call.plan();
    if (plan == null) {
      throw new IllegalStateException("the execute step runs after the plan step");
    }
    this.planner = execute.planner(call, plan);
    Route route = plan.settings();
    this.hedge = route == null || plan.candidates().size() < 2 ? null : route.hedgePolicy();
  }

  // ---------------------------------------------------------------- what the two callers do

  /** A new attempt at {@code state} (its context already started). Called under the monitor. */
  abstract LiveAttempt newAttempt(DeploymentState state, Attempt.Kind kind, int attemptsHere);

  /** Starts the attempt's transport call. Called without the monitor. */
  abstract void launch(LiveAttempt attempt);

  /**
   * The call ends with {@code failure}: returns what delivers it to the caller (run outside the
   * monitor), or null when it is delivered later. Called under the monitor, after {@link #finish}.
   */
  abstract @Nullable Runnable failure(GatewayException failure);

  /** The attempt left the live set (ended, failed or lost): release its own timers. */
  void left(LiveAttempt attempt) {}

  /** The call finished: release the caller's own timers. Called under the monitor. */
  void finishing() {}

  // ---------------------------------------------------------------- the loop

  /**
   * Makes the first attempt live and arms the hedge timer; null when no candidate grants an attempt
   * (the call then has ended: deliver {@link #failure}). Called under the monitor.
   */
  final @Nullable LiveAttempt first() {
    DeploymentState state = planner.next();
    if (state == null) {
      return null;
    }
    LiveAttempt first = prepare(state, Attempt.Kind.FIRST, 1);
    HedgePolicy h = hedge;
    if (h != null) {
      long threshold = h.thresholdNanos(h.percentile() == 0 ? -1
          : state.breaker().latencyPercentileNanos(h.percentile(), hedgesFirstTokens()));
      hedgeTimer = schedule(this::hedgeDue, threshold);
    }
    return first;
  }

  /** Ends the call with no attempt made: every candidate was skipped. Called under the monitor. */
  final @Nullable Runnable noCandidate() {
    return finish(planner.failure());
  }

  private LiveAttempt prepare(DeploymentState state, Attempt.Kind kind, int attemptsHere) {
    LiveAttempt attempt = newAttempt(state, kind, attemptsHere);
    if (live0 == null) {
      live0 = attempt;
    } else if (live1 == null) {
      live1 = attempt;
    } else {
      throw new IllegalStateException("a third live attempt: " + attempt.state.deployment());
    }
    return attempt;
  }

  /** Whether the attempt is running for this call. Called under the monitor. */
  final boolean isLive(LiveAttempt attempt) {
    return attempt == live0 || attempt == live1;
  }

  /** The running attempts' count: 0, 1 or 2. Called under the monitor. */
  final int liveCount() {
    return live0 == null ? 0 : live1 == null ? 1 : 2;
  }

  /** The running attempt at {@code index} (0 or 1), or null. Called under the monitor. */
  final @Nullable LiveAttempt liveAt(int index) {
    return index == 0 ? live0 : index == 1 ? live1 : null;
  }

  private boolean removeLive(LiveAttempt attempt) {
    if (attempt == live0) {
      live0 = live1;
      live1 = null;
      return true;
    }
    if (attempt == live1) {
      live1 = null;
      return true;
    }
    return false;
  }

  /** The running attempts, no longer running. */
  private List<LiveAttempt> takeLive() {
    List<LiveAttempt> running = live0 == null ? List.of()
        : live1 == null ? List.of(live0) : List.of(live0, live1);
    live0 = null;
    live1 = null;
    return running;
  }

  /** Starts the attempt's context: its number and deadline; the listeners hear of it. */
  final AttemptContext startContext(DeploymentState state, Attempt.Kind kind, boolean stream) {
    return execute.startAttempt(call, state, kind, stream, request);
  }

  /** The hedge threshold passed with no winner: start the next candidate beside the first. */
  private void hedgeDue() {
    CallLog.Scope mdc = execute.log().enter(call);
    try {
      hedge();
    } finally {
      mdc.close();
    }
  }

  private void hedge() {
    LiveAttempt second;
    LiveAttempt first;
    synchronized (this) {
      hedgeTimer = null;
      if (finished || cancelled || winner != null || live0 == null || live1 != null
          || live0.kind != Attempt.Kind.FIRST) {
        return; // a hedge starts beside the first attempt only
      }
      DeploymentState next = planner.next();
      if (next == null) {
        return;
      }
      first = live0;
      second = prepare(next, Attempt.Kind.HEDGE, 1);
    }
    CallLog.hedging(call, first.state.deployment(), second.state.deployment());
    launch(second); // the timer handed this to the executor
  }

  /**
   * The attempt failed: record it and decide what follows — nothing while a hedge beside it runs,
   * the end of the call after the commit point, else a retry, a failover or the end.
   */
  final void failed(LiveAttempt attempt, GatewayException error, Usage usage) {
    LiveAttempt next = null;
    Runnable end = null;
    Planner.Decision decided = null;
    synchronized (this) {
      if (attempt.hasEnded() || !removeLive(attempt)) {
        return; // already ended: cancelled, lost a hedge, or the call's deadline ran out
      }
      left(attempt);
      if (attempt.kind == Attempt.Kind.FIRST) {
        hedgeTimer = cancel(hedgeTimer); // a hedge starts beside the first attempt only
      }
      if (finished || cancelled) {
        attempt.end(attempt.outcome(Attempt.Outcome.FAILED, error, "the call had ended", usage),
            error);
        return;
      }
      if (winner == attempt) {
        attempt.end(attempt.outcome(Attempt.Outcome.FAILED, error,
            "after the commit point: the stream ends", usage), error);
        end = finish(error);
      } else if (live0 != null) {
        planner.failedAlongside(error);
        attempt.end(attempt.outcome(Attempt.Outcome.FAILED, error,
            "the hedge beside it still runs", usage), error);
      } else {
        Planner.Decision decision = planner.decide(attempt.state, attempt.attemptsHere, error);
        decided = decision;
        attempt.end(attempt.outcome(Attempt.Outcome.FAILED, error, decision.note(), usage),
            error);
        if (decision.next() == Planner.Next.RETRY) {
          if (decision.delayNanos() > 0) {
            end = backoff(attempt.state, attempt.attemptsHere, decision.delayNanos());
          } else {
            next = retryOrFailover(attempt.state, attempt.attemptsHere);
            end = next == null ? finish(planner.failure()) : null;
          }
        } else {
          next = decision.next() == Planner.Next.FAIL_OVER ? failover() : null;
          end = next == null ? finish(planner.failure()) : null;
        }
      }
    }
    if (decided != null) {
      logged(attempt, error, decided, next);
    }
    if (next != null) {
      launch(next);
    } else if (end != null) {
      end.run();
    }
  }

  /** Logs what follows a failed attempt: a retry (and its delay) or a failover (and why). */
  private void logged(LiveAttempt failed, GatewayException error, Planner.Decision decision,
      @Nullable LiveAttempt next) {
    if (decision.next() == Planner.Next.RETRY && decision.delayNanos() > 0) {
      CallLog.retrying(call, failed.context.number(), failed.state.deployment(), error,
          decision.delayNanos());
    } else if (next != null && next.kind == Attempt.Kind.RETRY) {
      CallLog.retrying(call, failed.context.number(), failed.state.deployment(), error, 0);
    } else if (next != null) {
      CallLog.failingOver(call, failed.context.number(), failed.state.deployment(),
          next.state.deployment(), error, decision.next() == Planner.Next.RETRY
              ? "its circuit breaker refused a retry" : decision.note());
    }
  }

  /**
   * The attempt broke in a way no provider failure explains (an interceptor or transport threw
   * something untyped): record it and end the call with {@code bug}.
   */
  final void broke(LiveAttempt attempt, GatewayInternalException bug) {
    Runnable end;
    synchronized (this) {
      if (attempt.hasEnded() || !removeLive(attempt)) {
        return;
      }
      left(attempt);
      attempt.end(attempt.outcome(Attempt.Outcome.FAILED, bug,
          "a bug in an interceptor or transport", Usage.ZERO), bug);
      if (finished || cancelled) {
        return;
      }
      planner.failedAlongside(bug);
      end = finish(bug);
    }
    cancelAll(Attempt.Outcome.CANCELLED, "the call failed", null);
    if (end != null) {
      end.run();
    }
  }

  /**
   * Waits a retry's backoff, then calls {@link #retry}: by default on a timer whose firing hands
   * the retry to the executor; returns what to run outside the monitor, or null. Called under the
   * monitor.
   */
  @Nullable Runnable backoff(DeploymentState state, int attemptsHere, long delayNanos) {
    retryTimer = schedule(() -> retry(state, attemptsHere), delayNanos);
    return null;
  }

  /**
   * The thread running the attempt was interrupted: the caller cancels, it is no provider's
   * failure. The attempt is recorded as cancelled (no breaker counts it), every other attempt is
   * cancelled too, and the call ends with {@code cancelled}.
   */
  final void interrupted(LiveAttempt attempt, CallCancelledException cancelled) {
    Runnable end;
    synchronized (this) {
      if (attempt.hasEnded() || !removeLive(attempt) || finished || this.cancelled) {
        return;
      }
      left(attempt);
      attempt.end(attempt.outcome(Attempt.Outcome.CANCELLED, null,
          "the calling thread was interrupted", Usage.ZERO), null);
      planner.failedAlongside(cancelled);
      end = finish(cancelled);
    }
    cancelAll(Attempt.Outcome.CANCELLED, "the calling thread was interrupted", null);
    if (end != null) {
      end.run();
    }
  }

  /** A retry's backoff has passed: try the same deployment again, or the next candidate. */
  final void retry(DeploymentState state, int attemptsHere) {
    CallLog.Scope mdc = execute.log().enter(call);
    try {
      retryNow(state, attemptsHere);
    } finally {
      mdc.close();
    }
  }

  private void retryNow(DeploymentState state, int attemptsHere) {
    LiveAttempt next;
    Runnable end = null;
    synchronized (this) {
      retryTimer = null;
      if (finished || cancelled) {
        return;
      }
      next = retryOrFailover(state, attemptsHere);
      if (next == null) {
        end = finish(planner.failure());
      }
    }
    if (next != null && next.kind == Attempt.Kind.FAILOVER) {
      CallLog.failingOverAfterBackoff(call, state.deployment(), next.state.deployment());
    }
    if (next != null) {
      launch(next);
    } else if (end != null) {
      end.run();
    }
  }

  private @Nullable LiveAttempt retryOrFailover(DeploymentState state, int attemptsHere) {
    if (Thread.currentThread().isInterrupted()) {
      return null;
    }
    DeploymentState again = planner.regrant(state); // with a new permit
    return again != null ? prepare(again, Attempt.Kind.RETRY, attemptsHere + 1) : failover();
  }

  /** The next candidate made live, or null when none is left. Called under the monitor. */
  private @Nullable LiveAttempt failover() {
    if (Thread.currentThread().isInterrupted()) {
      return null;
    }
    DeploymentState next = planner.next();
    return next == null ? null : prepare(next, Attempt.Kind.FAILOVER, 1);
  }

  /**
   * The commit point: {@code attempt} becomes the one whose result reaches the caller, and every
   * other live attempt loses (cancelled, recorded with its estimated usage). False when it cannot
   * win (the call ended, another won, or it was ended).
   */
  final boolean commit(LiveAttempt attempt) {
    return commit(attempt, null);
  }

  /**
   * A unary attempt returned its answer: it commits and completes in one decision, and a hedge
   * beside it loses. False when it cannot win (the call ended, or another won).
   */
  final boolean won(LiveAttempt attempt, Usage usage) {
    return commit(attempt, usage);
  }

  /** Commits {@code attempt}; with {@code usage}, also completes the call with it. */
  private boolean commit(LiveAttempt attempt, @Nullable Usage usage) {
    LiveAttempt loser;
    synchronized (this) {
      if (finished || cancelled || winner != null || !isLive(attempt)
          || !mayCommit(attempt)) {
        return usage == null && winner == attempt;
      }
      winner = attempt;
      loser = attempt == live0 ? live1 : live0;
      live0 = usage == null ? attempt : null;
      live1 = null;
      if (usage == null) {
        hedgeTimer = cancel(hedgeTimer);
        committed(attempt);
      } else {
        finished = true;
        cancelTimers();
      }
    }
    if (loser != null) {
      left(loser);
      loser.cancelUpstream();
      loser.end(loser.outcome(Attempt.Outcome.CANCELLED, null,
          "lost the hedge to " + attempt.state.deployment(), loser.estimate()), null);
    }
    if (usage != null) {
      left(attempt);
      attempt.succeeded(usage);
    }
    return true;
  }

  /** Whether a hedge here races first tokens (a stream) rather than whole answers. */
  boolean hedgesFirstTokens() {
    return false;
  }

  /** Whether the attempt may still commit (a stream's attempt past its first-token timeout may not). */
  boolean mayCommit(LiveAttempt attempt) {
    return true;
  }

  /** The attempt just committed. Called under the monitor. */
  void committed(LiveAttempt attempt) {}

  /**
   * The committed attempt completed: the call has its answer. False when the call had ended
   * (cancelled or past its deadline) before.
   */
  final boolean completed(LiveAttempt attempt, Usage usage) {
    synchronized (this) {
      if (finished || cancelled || winner != attempt) {
        return false;
      }
      removeLive(attempt);
      finished = true;
      cancelTimers();
    }
    left(attempt);
    attempt.succeeded(usage);
    return true;
  }

  /**
   * The call's deadline passed: every live attempt fails with a {@code TOTAL} timeout and the call
   * ends with it (or with the planner's failure before the commit point).
   */
  final void deadlinePassed() {
    List<LiveAttempt> running;
    Runnable end;
    GatewayTimeoutException timeout = totalTimeout(ErrorDetails.NONE, null);
    synchronized (this) {
      if (finished || cancelled) {
        return;
      }
      running = takeLive();
      for (LiveAttempt a : running) {
        planner.failedAlongside(timeout);
        a.end(a.outcome(Attempt.Outcome.FAILED, timeout, "the call's deadline ran out",
            a.estimate()), timeout);
      }
      if (running.isEmpty()) {
        planner.failedAlongside(timeout); // it ran out during a backoff
      }
      end = finish(winner != null ? timeout : planner.failure());
    }
    for (LiveAttempt a : running) {
      left(a);
      a.cancelUpstream();
    }
    if (end != null) {
      end.run();
    }
  }

  /** The call's own timeout ({@code TOTAL}): its deadline passed. */
  final GatewayTimeoutException totalTimeout(ErrorDetails details, @Nullable Throwable cause) {
    return new GatewayTimeoutException(GatewayTimeoutException.Kind.TOTAL,
        Duration.ofNanos(call.deadlineNanos() - call.startNanos()), details, cause);
  }

  /** The caller cancelled: every live attempt is cancelled and recorded so. */
  final void cancel(String reason) {
    synchronized (this) {
      if (finished || cancelled) {
        return;
      }
      cancelled = true;
      cancelTimers();
    }
    cancelAll(Attempt.Outcome.CANCELLED, reason, null);
    cancelled(reason);
  }

  /** The call was cancelled and its attempts with it: tell a caller who waits. */
  void cancelled(String reason) {}

  private void cancelAll(Attempt.Outcome outcome, String note,
      @Nullable GatewayException error) {
    List<LiveAttempt> running;
    synchronized (this) {
      running = takeLive();
    }
    for (LiveAttempt a : running) {
      left(a);
      a.cancelUpstream();
      a.end(a.outcome(outcome, error, note, a.estimate()), error);
    }
  }

  /** Ends the call in failure. Called under the monitor. */
  private @Nullable Runnable finish(GatewayException error) {
    finished = true;
    cancelTimers();
    return failure(error);
  }

  /** The failure that ends a call none of whose attempts succeeded. */
  final synchronized GatewayException planFailure() {
    return planner.failure();
  }

  private void cancelTimers() {
    hedgeTimer = cancel(hedgeTimer);
    retryTimer = cancel(retryTimer);
    finishing();
  }

  final TimerWheel.Timer schedule(Runnable task, long delayNanos) {
    return execute.resilience().timers().schedule(task, delayNanos);
  }

  static TimerWheel.@Nullable Timer cancel(TimerWheel.@Nullable Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
    return null;
  }

  /** Adds an ended attempt to the call's story; the listeners hear of it. */
  final void record(AttemptContext context, Attempt attempt, @Nullable CallResult answer) {
    execute.endAttempt(call, context, attempt, answer);
  }

  /** The usage of an attempt that ended before reporting: the request's estimated input. */
  Usage estimatedInput() {
    return Usage.estimate(TokenEstimator.input(request), 0);
  }
}
