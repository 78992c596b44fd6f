package dev.llmgateway.core.internal.call;

import dev.llmgateway.Caller;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.auth.CallerPolicy;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.policy.Policies;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.resilience.FailureAction;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AuditSink;
import dev.llmgateway.spi.Authenticator;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The checked, immutable settings of a gateway, as {@code GatewayBuilder.build()} hands them over.
 *
 * @param providers providers by unique name, in the order added
 * @param aliases routes by alias name
 * @param defaultProvider the provider serving bare model names, or null
 * @param interceptors user interceptors per position
 * @param authenticator checks credentials, or null
 * @param defaultCaller the caller of calls made without one
 * @param listeners listeners, in order
 * @param usageSinks usage sinks with their delivery, in order
 * @param executor the user's executor, or null for a gateway-owned pool
 * @param clock timestamps usage records
 * @param attemptTimeout the per-attempt limit, or null
 * @param totalTimeout the per-call limit, or null
 * @param firstTokenTimeout a stream attempt's limit to its first token, or null for the attempt
 *     timeout
 * @param idleTimeout the longest gap between a stream's events, or null
 * @param retry the gateway's retry policy
 * @param circuitBreaker the gateway's circuit breaker policy
 * @param failureActions what follows a failure, per error class (on top of the defaults)
 * @param deploymentPolicies per-deployment overrides
 * @param scheduler the user's scheduler for timers and backoff, or null for a gateway-owned one
 * @param prices the price table
 * @param random the random source of routing, or null for {@code ThreadLocalRandom}
 * @param cache the response cache settings, or null for no cache
 * @param maxAdHocDeployments the most states kept for deployments the configuration does not name
 * @param adHocDeploymentExpiry how long such a state is kept unused
 * @param endUserIdKey the HMAC key end-user ids are hashed with (never printed)
 * @param closeProviders whether closing the gateway closes its providers
 * @param authenticateAnonymous whether a call as {@link dev.llmgateway.Principal#ANONYMOUS} goes
 *     through the authenticator (an authenticator is set and no default caller was chosen)
 * @param logCalls whether the one summary line per call is logged at INFO (else at DEBUG)
 * @param mdc whether the gateway sets its MDC keys while it works on a call ({@link CallLog})
 * @param auditSinks audit sinks, in order (the SLF4J one when none was configured)
 * @param callers which kinds of caller the gateway accepts
 * @param access the access policy, or null for no access step
 * @param rateLimits the rate limits, or null for no rate-limit step
 * @param budgets the budgets, or null for no budget step
 * @param policies the input and output policies, or null for no policy step
 */
public record GatewayConfig(
    Map<String, Provider> providers,
    Map<String, Route> aliases,
    @Nullable String defaultProvider,
    Map<InterceptorPosition, List<Interceptor>> interceptors,
    @Nullable Authenticator authenticator,
    Caller defaultCaller,
    List<GatewayListener> listeners,
    List<UsageSinkSetting> usageSinks,
    @Nullable Executor executor,
    Clock clock,
    @Nullable Duration attemptTimeout,
    @Nullable Duration totalTimeout,
    @Nullable Duration firstTokenTimeout,
    @Nullable Duration idleTimeout,
    RetryPolicy retry,
    CircuitBreakerPolicy circuitBreaker,
    Map<Class<? extends GatewayException>, FailureAction> failureActions,
    Map<Deployment, DeploymentPolicy> deploymentPolicies,
    @Nullable ScheduledExecutorService scheduler,
    PriceTable prices,
    @Nullable RandomGenerator random,
    @Nullable ResponseCache cache,
    int maxAdHocDeployments,
    Duration adHocDeploymentExpiry,
    byte[] endUserIdKey,
    boolean authenticateAnonymous,
    boolean closeProviders,
    boolean logCalls,
    boolean mdc,
    List<AuditSink> auditSinks,
    CallerPolicy callers,
    @Nullable AccessPolicy access,
    @Nullable RateLimits rateLimits,
    @Nullable Budgets budgets,
    @Nullable Policies policies) {

  /** The total limit of a chat or embedding call when none is configured. */
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);

  /** The idle limit of a stream when none is configured. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  @Override
  public String toString() {
    return "GatewayConfig[providers=" + providers.keySet() + ", aliases=" + aliases.keySet()
        + ", defaultProvider=" + defaultProvider + ", authenticator="
        + (authenticator == null ? "none" : authenticator.getClass().getSimpleName())
        + ", defaultCaller=" + defaultCaller + ", callers=" + callers + ", attemptTimeout=" + attemptTimeout
        + ", totalTimeout=" + totalTimeout + ", firstTokenTimeout=" + firstTokenTimeout
        + ", idleTimeout=" + idleTimeout + ", retry=" + retry + ", circuitBreaker="
        + circuitBreaker + ", cache=" + cache + ", maxAdHocDeployments=" + maxAdHocDeployments
        + ", adHocDeploymentExpiry=" + adHocDeploymentExpiry + ", logCalls=" + logCalls
        + ", mdc=" + mdc + ", access=" + access + ", rateLimits=" + rateLimits
        + ", budgets=" + budgets + ", policies=" + policies + "]";
  }
}
