package dev.llmgateway.core.internal.execute;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.AttemptGate;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallLog;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.health.Breaker;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.core.resilience.FailureAction;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.TokenEstimator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * One call's way through its candidates: which deployment comes next (skipping those whose circuit
 * is open or that cool down after a 429, with the reason recorded), and what a failure leads to —
 * a retry of the same deployment after a backoff, a failover to the next candidate, or the end of
 * the call. The same decisions serve unary calls, embeddings and streams. Not thread-safe: a
 * unary call uses it on its thread, a stream under its monitor.
 */
public final class Planner {
  private final Resilience resilience;
  private final Map<String, Provider> providers;
  private final Call call;
  private final List<Deployment> candidates;
  private final @Nullable Route route;
  private final @Nullable Deployment contentFilterFallback;
  /** The steps' say on each attempt (a deployment's rate limit, a budget), or null. */
  private final @Nullable AttemptGate gate;
  private List<GatewayException> failures = List.of(); // a list of its own from the first failure
  private int index = -1;
  private @Nullable Deployment jump;
  private boolean contentFallbackUsed;
  private long windowAbove;

  /** The way of {@code call} through the candidates of its {@code plan}. */
  public Planner(Resilience resilience, Map<String, Provider> providers, Call call, Plan plan) {
    this.resilience = resilience;
    this.providers = providers;
    this.call = call;
    this.candidates = plan.candidates();
    this.route = plan.settings();
    this.contentFilterFallback = plan.contentFilterFallback();
    this.gate = call.tag(AttemptGate.class);
  }

  /** What comes after a failed attempt. */
  public enum Next {
    RETRY,
    FAIL_OVER,
    STOP
  }

  /**
   * A decision after a failure.
   *
   * @param next what comes next
   * @param delayNanos the wait before a retry
   * @param note why, for the attempt's story
   */
  public record Decision(Next next, long delayNanos, String note) {}

  /**
   * The next candidate whose breaker grants an attempt (the permit is held), skipping and
   * recording the others; null when none is left.
   */
  public @Nullable DeploymentState next() {
    Deployment fallback = jump;
    if (fallback != null) {
      jump = null;
      DeploymentState state = grant(fallback);
      if (state != null) {
        return state;
      }
    }
    while (++index < candidates.size()) {
      Deployment deployment = candidates.get(index);
      if (windowAbove > 0) {
        int window = contextWindow(deployment);
        if (window <= windowAbove) {
          skip(deployment, window == 0 ? "context window unknown"
              : "context window " + window + " is not above " + windowAbove);
          continue;
        }
      }
      DeploymentState state = grant(deployment);
      if (state != null) {
        return state;
      }
    }
    return null;
  }

  /**
   * The deployment again, with a new permit, when it may be tried again now, after this call's
   * backoff (a cooldown does not stop it: the call waited what the server asked); null when its
   * breaker refuses.
   */
  public @Nullable DeploymentState regrant(DeploymentState state) {
    if (!gateAdmits(state.deployment())) {
      return null;
    }
    Breaker.Permit permit = state.breaker().acquire(true);
    if (permit != null) {
      return state.granted(permit);
    }
    skip(state.deployment(), state.breaker().unavailableReason());
    return null;
  }

  private @Nullable DeploymentState grant(Deployment deployment) {
    if (!gateAdmits(deployment)) {
      return null;
    }
    DeploymentState state = resilience.state(deployment);
    Breaker.Permit permit = state.breaker().acquire();
    if (permit != null) {
      return state.granted(permit);
    }
    skip(deployment, state.breaker().unavailableReason());
    return null;
  }

  /** Asks the call's gates; a refused deployment is skipped and its refusal kept as a failure. */
  private boolean gateAdmits(Deployment deployment) {
    if (gate == null) {
      return true;
    }
    GatewayException refused = gate.admit(call, deployment);
    if (refused == null) {
      return true;
    }
    failed(refused);
    skip(deployment, refused.getMessage());
    return false;
  }

  private void skip(Deployment deployment, @Nullable String reason) {
    String why = reason == null ? "refused by its circuit breaker" : reason;
    call.recordAttempt(new Attempt(0, deployment, Attempt.Outcome.SKIPPED, null, Duration.ZERO,
        null, why, Usage.ZERO,
        call.attemptCount() == 0 ? Attempt.Kind.FIRST : Attempt.Kind.FAILOVER));
    CallLog.skipped(call, deployment, why);
  }

  /**
   * Decides what follows a failed attempt.
   *
   * @param attemptsHere attempts made at this deployment so far, the failed one included
   */
  public Decision decide(DeploymentState state, int attemptsHere, GatewayException error) {
    failed(error);
    if (error instanceof GatewayTimeoutException t
        && t.kind() == GatewayTimeoutException.Kind.TOTAL) {
      return new Decision(Next.STOP, 0, "the call's deadline ran out");
    }
    if (!hasTimeLeft()) {
      return new Decision(Next.STOP, 0, "the call's deadline ran out");
    }
    FailureAction action = resilience.action(error);
    if (error instanceof ContentFilteredException && contentFilterFallback != null
        && !contentFallbackUsed) {
      contentFallbackUsed = true;
      jump = contentFilterFallback;
      return new Decision(Next.FAIL_OVER, 0, "to the route's content-filter fallback " + jump);
    }
    switch (action) {
      case RETRY:
        RetryPolicy retry = resilience.retry(state, route == null ? null : route.retryPolicy());
        if (attemptsHere >= retry.maxAttempts()) {
          return new Decision(Next.FAIL_OVER, 0,
              retry.maxAttempts() == 1 ? "failing over" : "retries exhausted; failing over");
        }
        Duration retryAfter = retryAfter(error);
        if (retryAfter != null && retryAfter.compareTo(retry.maxRetryAfter()) > 0) {
          return new Decision(Next.FAIL_OVER, 0, "Retry-After " + millis(retryAfter.toNanos())
              + " exceeds the " + millis(retry.maxRetryAfter().toNanos()) + " cap; failing over");
        }
        long delay = retry.delayNanos(attemptsHere, retryAfter,
            ThreadLocalRandom.current().nextDouble());
        long deadline = call.deadlineNanos();
        if (deadline != AttemptContext.NO_DEADLINE && System.nanoTime() + delay >= deadline) {
          return new Decision(Next.FAIL_OVER, 0, "waiting " + millis(delay)
              + " would pass the call's deadline; failing over");
        }
        return new Decision(Next.RETRY, delay, "retrying in " + millis(delay)
            + (retryAfter != null ? " (Retry-After)" : ""));
      case FAIL_OVER:
        if (error instanceof ContextLengthExceededException) {
          windowAbove = Math.max(Math.max(windowAbove, contextWindow(state.deployment())),
              TokenEstimator.input(call.originalRequest()));
          return new Decision(Next.FAIL_OVER, 0,
              "failing over to a candidate with a context window above " + windowAbove);
        }
        return new Decision(Next.FAIL_OVER, 0, "failing over");
      default:
        return new Decision(Next.STOP, 0, "not retriable");
    }
  }

  /** The exception that ends a call none of whose attempts succeeded. */
  public GatewayException failure() {
    List<Attempt> attempts = call.attempts();
    if (failures.isEmpty()) {
      if (attempts.isEmpty()) {
        return new GatewayInternalException("routing produced no candidate deployment");
      }
      List<GatewayException> none = List.of(new ProviderUnavailableException(
          "no candidate was available to try", ErrorDetails.NONE, null));
      return new AllCandidatesFailedException(attempts, none);
    }
    RateLimitedException limited = limitedEverywhere(attempts);
    if (limited != null) {
      return limited;
    }
    if (failures.size() == 1 && attempts.size() == 1) {
      return failures.get(0);
    }
    return new AllCandidatesFailedException(attempts, failures);
  }

  /**
   * When the gateway's own rate limits refused every candidate (each one skipped by a gate with a
   * {@link RateLimitedException} naming its limit, none tried): the refusal that admits soonest,
   * the others suppressed on it, and the call marked refused by its limits.
   */
  private @Nullable RateLimitedException limitedEverywhere(List<Attempt> attempts) {
    if (failures.size() != attempts.size()) {
      return null;
    }
    for (Attempt a : attempts) {
      if (a.outcome() != Attempt.Outcome.SKIPPED) {
        return null;
      }
    }
    RateLimitedException soonest = null;
    for (GatewayException f : failures) {
      if (!(f instanceof RateLimitedException r) || r.limit() == null) {
        return null;
      }
      if (soonest == null || (r.retryAfter() != null && (soonest.retryAfter() == null
          || r.retryAfter().compareTo(soonest.retryAfter()) < 0))) {
        soonest = r;
      }
    }
    if (soonest.getSuppressed().length == 0) { // asked again, it is the same answer
      for (GatewayException f : failures) {
        if (f != soonest) {
          soonest.addSuppressed(f);
        }
      }
    }
    call.refuse(UsageRecord.Refusal.LIMIT);
    return soonest;
  }

  /** Records a failure that needs no decision (a hedge's other attempt still runs). */
  public void failedAlongside(GatewayException error) {
    failed(error);
  }

  private void failed(GatewayException error) {
    if (failures.isEmpty()) {
      failures = new ArrayList<>(2);
    }
    failures.add(error);
  }

  public boolean hasTimeLeft() {
    return call.deadlineNanos() == AttemptContext.NO_DEADLINE
        || System.nanoTime() < call.deadlineNanos();
  }

  private int contextWindow(Deployment deployment) {
    Provider provider = providers.get(deployment.provider());
    return provider == null ? 0 : provider.capabilities(deployment.model()).contextWindow();
  }

  private static @Nullable Duration retryAfter(GatewayException error) {
    return error instanceof RateLimitedException r ? r.retryAfter() : null;
  }

  public static String millis(long nanos) {
    return (nanos + 500_000) / 1_000_000 + " ms";
  }
}
