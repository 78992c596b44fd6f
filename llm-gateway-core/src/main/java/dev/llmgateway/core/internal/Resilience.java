package dev.llmgateway.core.internal;

import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.CircuitBreakerPolicy;
import dev.llmgateway.core.DeploymentHealth;
import dev.llmgateway.core.DeploymentPolicy;
import dev.llmgateway.core.FailureAction;
import dev.llmgateway.core.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's resilience settings, resolved once, and the live state of every deployment it has
 * called (circuit breaker, latency): what {@link ExecuteInterceptor} consults per attempt.
 */
final class Resilience {
  /** The failure actions a gateway starts with; see {@link FailureAction}. */
  static final Map<Class<? extends GatewayException>, FailureAction> DEFAULT_ACTIONS = Map.of(
      RateLimitedException.class, FailureAction.RETRY,
      ProviderUnavailableException.class, FailureAction.RETRY,
      GatewayTimeoutException.class, FailureAction.FAIL_OVER,
      QuotaExhaustedException.class, FailureAction.FAIL_OVER,
      ContextLengthExceededException.class, FailureAction.FAIL,
      ContentFilteredException.class, FailureAction.FAIL);

  private final GatewayConfig config;
  private final Map<Class<? extends GatewayException>, FailureAction> actions;
  private final ClassValue<FailureAction> actionByClass = new ClassValue<>() {
    @Override
    protected FailureAction computeValue(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        FailureAction action = actions.get(c);
        if (action != null) {
          return action;
        }
      }
      return FailureAction.FAIL;
    }
  };
  private final ConcurrentHashMap<Deployment, DeploymentState> states = new ConcurrentHashMap<>();
  private final Timers timers;

  Resilience(GatewayConfig config, Timers timers) {
    this.config = config;
    Map<Class<? extends GatewayException>, FailureAction> merged =
        new LinkedHashMap<>(DEFAULT_ACTIONS);
    merged.putAll(config.failureActions());
    this.actions = Map.copyOf(merged);
    this.timers = timers;
    config.aliases().values().forEach(route -> route.candidates().forEach(this::state));
  }

  Timers timers() {
    return timers;
  }

  Clock clock() {
    return config.clock();
  }

  /** What to do after a failure of this class (the most specific configured superclass). */
  FailureAction action(GatewayException error) {
    return actionByClass.get(error.getClass());
  }

  /** The deployment's settings and live state, created on first use. */
  DeploymentState state(Deployment deployment) {
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

  /** The retry policy for an attempt at a deployment: the deployment's, the route's, or ours. */
  RetryPolicy retry(DeploymentState state, @Nullable RetryPolicy route) {
    if (state.retry() != null) {
      return state.retry();
    }
    return route != null ? route : config.retry();
  }

  /** A snapshot of every deployment the gateway routes to or has called. */
  Map<Deployment, DeploymentHealth> health() {
    Map<Deployment, DeploymentHealth> snapshot = new LinkedHashMap<>();
    states.values().stream()
        .sorted((a, b) -> a.deployment().toString().compareTo(b.deployment().toString()))
        .forEach(s -> snapshot.put(s.deployment(), s.breaker().snapshot()));
    return snapshot;
  }

  /**
   * One deployment's resolved settings and live state.
   *
   * @param retry the deployment's own retry policy, or null to inherit
   * @param attemptTimeoutNanos 0 for none
   * @param firstTokenTimeoutNanos 0 for none
   * @param idleTimeoutNanos 0 for none
   */
  record DeploymentState(Deployment deployment, Breaker breaker, @Nullable RetryPolicy retry,
      long attemptTimeoutNanos, long firstTokenTimeoutNanos, long idleTimeoutNanos) {}
}
