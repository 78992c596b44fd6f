package dev.llmgateway.core.internal.health;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.resilience.RetryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * One deployment's resolved settings and live state, shared by the route step (which orders and
 * skips by the breaker's figures) and the execute step (which asks the breaker for permits and
 * counts outcomes).
 *
 * @param deployment the deployment
 * @param breaker its circuit breaker and latency statistics
 * @param retry the deployment's own retry policy, or null to inherit
 * @param attemptTimeoutNanos 0 for none
 * @param firstTokenTimeoutNanos 0 for none
 * @param idleTimeoutNanos 0 for none
 */
public record DeploymentState(Deployment deployment, Breaker breaker, @Nullable RetryPolicy retry,
    long attemptTimeoutNanos, long firstTokenTimeoutNanos, long idleTimeoutNanos) {}
