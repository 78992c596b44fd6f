package dev.llmgateway.core.internal.health;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.resilience.RetryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * One deployment's resolved settings and live state, shared by the route step (which orders and
 * skips by the breaker's figures) and the execute step (which asks the breaker for permits and
 * counts outcomes). An attempt holds the state it was {@linkplain #granted granted}, which carries
 * the breaker's permit for it; the states {@link Deployments} hands out carry {@link
 * Breaker.Permit#CLOSED}, which every grant of a closed circuit shares (so a grant in the closed
 * state allocates nothing).
 *
 * @param deployment the deployment
 * @param breaker its circuit breaker and latency statistics
 * @param retry the deployment's own retry policy, or null to inherit
 * @param attemptTimeoutNanos 0 for none
 * @param firstTokenTimeoutNanos 0 for none
 * @param idleTimeoutNanos 0 for none
 * @param permit the breaker's permit of the attempt holding this state
 */
public record DeploymentState(Deployment deployment, Breaker breaker, @Nullable RetryPolicy retry,
    long attemptTimeoutNanos, long firstTokenTimeoutNanos, long idleTimeoutNanos,
    Breaker.Permit permit) {

  /** This state for an attempt the breaker granted {@code granted}: itself when it holds that. */
  public DeploymentState granted(Breaker.Permit granted) {
    return granted == permit ? this : new DeploymentState(deployment, breaker, retry,
        attemptTimeoutNanos, firstTokenTimeoutNanos, idleTimeoutNanos, granted);
  }
}
