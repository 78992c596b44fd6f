package dev.llmgateway.core.internal.health;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.DeploymentHealth;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The live state of every deployment a gateway routes to or has called: its breaker and its
 * resolved timeouts and retry policy, created for each route candidate at build and for any other
 * deployment on first use. Thread-safe.
 */
public final class Deployments {
  private final GatewayConfig config;
  private final ConcurrentHashMap<Deployment, DeploymentState> states = new ConcurrentHashMap<>();

  /** The states of the configured routes' candidates, created now. */
  public Deployments(GatewayConfig config) {
    this.config = config;
    config.aliases().values().forEach(route -> route.candidates().forEach(this::state));
  }

  /** The deployment's settings and live state, created on first use. */
  public DeploymentState state(Deployment deployment) {
    DeploymentState state = states.get(deployment);
    return state != null ? state : states.computeIfAbsent(deployment, this::create);
  }

  private DeploymentState create(Deployment deployment) {
    DeploymentPolicy own = config.deploymentPolicies().get(deployment);
    CircuitBreakerPolicy breaker = own != null && own.circuitBreaker() != null
        ? own.circuitBreaker() : config.circuitBreaker();
    return new DeploymentState(deployment, new Breaker(deployment, breaker, config.clock()),
        own == null ? null : own.retry(),
        nanos(own == null ? null : own.attemptTimeout(), config.attemptTimeout()),
        nanos(own == null ? null : own.firstTokenTimeout(), firstTokenDefault(own)),
        nanos(own == null ? null : own.idleTimeout(), config.idleTimeout()));
  }

  private @Nullable Duration firstTokenDefault(@Nullable DeploymentPolicy own) {
    if (config.firstTokenTimeout() != null) {
      return config.firstTokenTimeout();
    }
    // a stream's attempt timeout is its time to first token
    return own != null && own.attemptTimeout() != null ? own.attemptTimeout()
        : config.attemptTimeout();
  }

  private static long nanos(@Nullable Duration own, @Nullable Duration inherited) {
    Duration d = own != null ? own : inherited;
    return d == null ? 0 : d.toNanos();
  }

  /** A snapshot of every deployment the gateway routes to or has called, by name. */
  public Map<Deployment, DeploymentHealth> health() {
    Map<Deployment, DeploymentHealth> snapshot = new LinkedHashMap<>();
    states.values().stream()
        .sorted((a, b) -> a.deployment().toString().compareTo(b.deployment().toString()))
        .forEach(s -> snapshot.put(s.deployment(), s.breaker().snapshot()));
    return snapshot;
  }
}
