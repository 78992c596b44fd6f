package dev.llmgateway.core.resilience;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.Gateway;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one deployment's circuit breaker and statistics, as {@code Gateway.health()}
 * reports it. Immutable; the live state may have moved on since it was taken.
 *
 * @param deployment the deployment
 * @param state the circuit's state
 * @param openUntil when an {@link CircuitState#OPEN open} circuit starts letting probes through;
 *     null in the other states
 * @param coolingDownUntil when the cooldown after a rate limit (429) or an exhausted quota ends;
 *     null when not cooling down
 * @param failureRate failures divided by counted attempts in the sliding window; 0 when none
 * @param callsInWindow attempts counted in the sliding window (successes and failures)
 * @param failuresInWindow failures counted in the sliding window
 * @param consecutiveFailures failures since the last success
 * @param inFlight attempts started and not yet ended
 * @param latencySamples how many successful attempts the latency percentiles are computed from
 *     (the most recent ones, at most a few hundred)
 * @param latencyP50 the median latency of successful attempts, or null when there are none
 * @param latencyP90 the 90th percentile latency of successful attempts, or null when none
 * @param latencyP99 the 99th percentile latency of successful attempts, or null when none
 */
public record DeploymentHealth(
    Deployment deployment,
    CircuitState state,
    @Nullable Instant openUntil,
    @Nullable Instant coolingDownUntil,
    double failureRate,
    long callsInWindow,
    long failuresInWindow,
    int consecutiveFailures,
    int inFlight,
    long latencySamples,
    @Nullable Duration latencyP50,
    @Nullable Duration latencyP90,
    @Nullable Duration latencyP99) {

  /** Checks that deployment and state are present. */
  public DeploymentHealth {
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(state, "state");
  }

  /**
   * Whether the deployment takes attempts now: its circuit is not open and it is not cooling
   * down. A half-open circuit counts as available, though it lets only a few probes through.
   */
  public boolean available() {
    return state != CircuitState.OPEN && coolingDownUntil == null;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(128).append(deployment).append(' ').append(state);
    if (openUntil != null) {
      s.append(" until ").append(openUntil);
    }
    if (coolingDownUntil != null) {
      s.append(", cooling down until ").append(coolingDownUntil);
    }
    s.append(", failures ").append(failuresInWindow).append('/').append(callsInWindow)
        .append(" (").append(Math.round(failureRate * 100)).append("%)")
        .append(", consecutive ").append(consecutiveFailures)
        .append(", in flight ").append(inFlight)
        .append(", latency");
    if (latencyP50 == null) {
      s.append(" n/a");
    } else {
      s.append(" p50=").append(latencyP50.toMillis()).append("ms")
          .append(" p90=").append(latencyP90 == null ? "?" : latencyP90.toMillis() + "ms")
          .append(" p99=").append(latencyP99 == null ? "?" : latencyP99.toMillis() + "ms")
          .append(" (n=").append(latencySamples).append(')');
    }
    return s.toString();
  }
}
