package dev.llmgateway.core.internal.health;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.llmgateway.Deployment;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.DeploymentHealth;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.Variant;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The live state of the deployments a gateway routes to or has called: each one's breaker and its
 * resolved timeouts and retry policy.
 *
 * <p>Two kinds, so that what callers send cannot grow the gateway without bound:
 *
 * <ul>
 *   <li><b>configured</b>: every deployment the configuration names (the candidates of every route,
 *       nested splits and rules included; content-filter fallbacks; deployments with {@link
 *       GatewayConfig#deploymentPolicies() settings of their own}). Created at build, kept for the
 *       gateway's life, in a read-only map.
 *   <li><b>ad hoc</b>: any other deployment (a {@code provider/model} or bare model a caller sends,
 *       a deployment a user's router asks about). Created on first use in a Caffeine cache of at
 *       most {@link GatewayConfig#maxAdHocDeployments()} states, each dropped after {@link
 *       GatewayConfig#adHocDeploymentExpiry()} without use, timed by the gateway's clock; past the
 *       bound Caffeine drops the least used. Its maintenance runs on the calling threads.
 * </ul>
 *
 * <p>Dropping a state is safe while a call uses it: the call holds the {@link DeploymentState} it
 * was granted its permit by and ends its attempts there; the deployment's next call creates a new
 * state, with a closed circuit and no statistics. Concurrent first calls of one deployment share
 * one state (Caffeine computes it once per key).
 *
 * <p>Thread-safe.
 */
public final class Deployments {
  private final GatewayConfig config;
  /** The states of the deployments the configuration names; read-only after construction. */
  private final Map<Deployment, DeploymentState> configured;
  /** The states of all others, bounded and idle-evicted. */
  private final Cache<Deployment, DeploymentState> adHoc;
  /** {@link #create}, allocated once rather than per lookup. */
  private final Function<Deployment, DeploymentState> create = this::create;

  /** Creates the states of the deployments {@code config} names, now; others on first use. */
  public Deployments(GatewayConfig config) {
    this.config = config;
    Map<Deployment, DeploymentState> states = new HashMap<>();
    for (Deployment d : named(config)) {
      states.put(d, create(d));
    }
    this.configured = Map.copyOf(states);
    Clock clock = config.clock();
    this.adHoc = Caffeine.newBuilder()
        .maximumSize(config.maxAdHocDeployments())
        .expireAfterAccess(config.adHocDeploymentExpiry())
        .ticker(ticker(clock))
        .executor(Runnable::run)
        .build();
  }

  /** Caffeine's nanosecond ticker on the gateway's clock (millisecond steps, as the breakers'). */
  private static Ticker ticker(Clock clock) {
    return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
  }

  /**
   * Every deployment the configuration names: route candidates (through splits and rules), content
   * filter fallbacks, and deployments with settings of their own, in that order.
   */
  static Set<Deployment> named(GatewayConfig config) {
    Set<Deployment> named = new LinkedHashSet<>();
    List<Route> pending = new ArrayList<>(config.aliases().values());
    while (!pending.isEmpty()) {
      Route route = pending.remove(pending.size() - 1);
      named.addAll(route.candidates());
      if (route.contentFilterFallback() != null) {
        named.add(route.contentFilterFallback());
      }
      for (Variant v : route.variants()) {
        pending.add(v.route());
      }
      for (Route.Rule rule : route.ruleList()) {
        pending.add(rule.target());
      }
    }
    named.addAll(config.deploymentPolicies().keySet());
    return named;
  }

  /**
   * The deployment's settings and live state: a configured deployment's, else the ad-hoc state,
   * created on first use. Hold on to it for the whole attempt: an ad-hoc state may be dropped
   * meanwhile, and a later lookup would then create another.
   */
  public DeploymentState state(Deployment deployment) {
    DeploymentState state = configured.get(deployment);
    return state != null ? state : adHoc.get(deployment, create);
  }

  /** Whether the deployment is one the configuration names (its state is kept for good). */
  public boolean configured(Deployment deployment) {
    return configured.containsKey(deployment);
  }

  /** The number of ad-hoc states held now, after dropping those past their bound or expiry. */
  public long adHocCount() {
    adHoc.cleanUp();
    return adHoc.estimatedSize();
  }

  private DeploymentState create(Deployment deployment) {
    DeploymentPolicy own = config.deploymentPolicies().get(deployment);
    CircuitBreakerPolicy breaker = own != null && own.circuitBreaker() != null
        ? own.circuitBreaker() : config.circuitBreaker();
    return new DeploymentState(deployment, new Breaker(deployment, breaker, config.clock()),
        own == null ? null : own.retry(),
        nanos(own == null ? null : own.attemptTimeout(), config.attemptTimeout()),
        nanos(own == null ? null : own.firstTokenTimeout(), firstTokenDefault(own)),
        nanos(own == null ? null : own.idleTimeout(), config.idleTimeout() != null
            ? config.idleTimeout() : GatewayConfig.DEFAULT_IDLE_TIMEOUT),
        Breaker.Permit.CLOSED);
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

  /**
   * A snapshot of every configured deployment and of the ad-hoc ones held now (at most {@link
   * GatewayConfig#maxAdHocDeployments()}; taking it does not count as their use), by name.
   */
  public Map<Deployment, DeploymentHealth> health() {
    adHoc.cleanUp();
    List<DeploymentState> all = new ArrayList<>(configured.values());
    all.addAll(adHoc.asMap().values());
    all.sort(Comparator.comparing(s -> s.deployment().toString()));
    Map<Deployment, DeploymentHealth> snapshot = new LinkedHashMap<>();
    for (DeploymentState s : all) {
      snapshot.put(s.deployment(), s.breaker().snapshot());
    }
    return snapshot;
  }
}
