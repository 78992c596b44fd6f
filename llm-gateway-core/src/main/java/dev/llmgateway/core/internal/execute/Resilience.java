package dev.llmgateway.core.internal.execute;

import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.internal.call.Timers;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.core.internal.health.Deployments;
import dev.llmgateway.core.resilience.FailureAction;
import dev.llmgateway.core.resilience.RetryPolicy;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's resilience settings, resolved once, and the live state of its deployments (circuit
 * breaker, latency; see {@link Deployments}): what {@link ExecuteInterceptor} consults per attempt.
 */
public final class Resilience {
  /** The failure actions a gateway starts with; see {@link FailureAction}. */
  static final Map<Class<? extends GatewayException>, FailureAction> DEFAULT_ACTIONS = Map.of(
      RateLimitedException.class, FailureAction.RETRY,
      ProviderUnavailableException.class, FailureAction.RETRY,
      GatewayTimeoutException.class, FailureAction.FAIL_OVER,
      QuotaExhaustedException.class, FailureAction.FAIL_OVER,
      ContextLengthExceededException.class, FailureAction.FAIL,
      ContentFilteredException.class, FailureAction.FAIL,
      UnsupportedCapabilityException.class, FailureAction.FAIL_OVER);

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
  private final Deployments deployments;
  private final Timers timers;

  /** The settings of {@code config} over the gateway's deployment states and timers. */
  public Resilience(GatewayConfig config, Deployments deployments, Timers timers) {
    this.config = config;
    this.deployments = deployments;
    Map<Class<? extends GatewayException>, FailureAction> merged =
        new LinkedHashMap<>(DEFAULT_ACTIONS);
    merged.putAll(config.failureActions());
    this.actions = Map.copyOf(merged);
    this.timers = timers;
  }

  public Timers timers() {
    return timers;
  }

  public Clock clock() {
    return config.clock();
  }

  /** What to do after a failure of this class (the most specific configured superclass). */
  public FailureAction action(GatewayException error) {
    return actionByClass.get(error.getClass());
  }

  /** The deployment's settings and live state; the caller keeps it for the attempts it grants. */
  public DeploymentState state(Deployment deployment) {
    return deployments.state(deployment);
  }

  /** The retry policy for an attempt at a deployment: the deployment's, the route's, or ours. */
  public RetryPolicy retry(DeploymentState state, @Nullable RetryPolicy route) {
    if (state.retry() != null) {
      return state.retry();
    }
    return route != null ? route : config.retry();
  }
}
