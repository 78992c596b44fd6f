package dev.llmgateway.core;

import dev.llmgateway.Caller;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.audit.Slf4jAuditSink;
import dev.llmgateway.core.auth.CallerPolicy;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.internal.call.Checks;
import dev.llmgateway.core.internal.call.EndUsers;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.internal.call.UsageSinkSetting;
import dev.llmgateway.core.internal.chain.RealGateway;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.policy.Policies;
import dev.llmgateway.core.policy.PolicySet;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.resilience.FailureAction;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.usage.UsageAggregates;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.spi.AuditSink;
import dev.llmgateway.spi.Authenticator;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.UsageSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Gateway}. Setters check their own argument ({@link IllegalArgumentException});
 * {@link #build()} checks how the settings fit together ({@link IllegalStateException}) with a
 * message naming the offending value. Not thread-safe; reusable: {@code build()} copies the
 * builder's state.
 *
 * <p>A setter of one value ({@link #clock}, {@link #executor}, the timeouts, {@link #retry},
 * {@link #cache}, ...) called twice keeps the last value, so a builder from {@link
 * Gateway#newBuilder()} can change what it inherited. Methods that add ({@link #provider}, {@link
 * #alias}, {@link #interceptor}, {@link #listener}, {@link #usageSink}) add: two providers or two
 * aliases of one name are refused by {@code build()} — except that a provider or alias inherited
 * from {@code newBuilder()} is replaced by a new one of its name. {@link #onFailure}, {@link
 * #deployment} and {@link #price} keep the last value per exception class or deployment.
 */
public final class GatewayBuilder {
  /**
   * The most time a chat or embedding call may take when {@link #totalTimeout(Duration)} is not
   * set (or the attempt timeout, when that is longer): ten minutes, the request timeout of the
   * official OpenAI and Anthropic SDKs. Streams have no total limit by default — streaming is how
   * a long answer is meant to be read — but an idle limit ({@link #DEFAULT_IDLE_TIMEOUT}).
   */
  public static final Duration DEFAULT_TOTAL_TIMEOUT = GatewayConfig.DEFAULT_TOTAL_TIMEOUT;

  /**
   * The longest a stream may go quiet between events when {@link #idleTimeout(Duration)} is not
   * set: ten minutes, as the default HTTP client's read timeout ({@code HttpClients}).
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = GatewayConfig.DEFAULT_IDLE_TIMEOUT;

  /** The default of {@link #maxAdHocDeployments(int)}. */
  private static final int DEFAULT_MAX_AD_HOC_DEPLOYMENTS = 1_000;
  /** The default of {@link #adHocDeploymentExpiry(Duration)}. */
  private static final Duration DEFAULT_AD_HOC_DEPLOYMENT_EXPIRY = Duration.ofHours(1);

  private final List<Provider> providers = new ArrayList<>();
  private final Map<String, Route> aliases = new LinkedHashMap<>();
  private final List<String> duplicateAliases = new ArrayList<>();
  private final Map<InterceptorPosition, List<Interceptor>> interceptors =
      new EnumMap<>(InterceptorPosition.class);
  private final List<GatewayListener> listeners = new ArrayList<>();
  private final List<UsageSinkSetting> usageSinks = new ArrayList<>();
  private final List<AuditSink> auditSinks = new ArrayList<>();
  private @Nullable String defaultProvider;
  private @Nullable Authenticator authenticator;
  private Caller defaultCaller = dev.llmgateway.Principal.ANONYMOUS;
  private boolean defaultCallerChosen;
  private CallerPolicy callers = CallerPolicy.BOTH;
  private @Nullable Executor executor;
  private Clock clock = Clock.systemUTC();
  private @Nullable Duration attemptTimeout;
  private @Nullable Duration totalTimeout;
  private @Nullable Duration firstTokenTimeout;
  private @Nullable Duration idleTimeout;
  private RetryPolicy retry = RetryPolicy.defaults();
  private CircuitBreakerPolicy circuitBreaker = CircuitBreakerPolicy.defaults();
  private final Map<Class<? extends GatewayException>, FailureAction> failureActions =
      new LinkedHashMap<>();
  private final Map<String, DeploymentPolicy> deploymentPolicies = new LinkedHashMap<>();
  private @Nullable ScheduledExecutorService scheduler;
  private @Nullable PriceTable prices;
  private final Map<String, Price> priceOverrides = new LinkedHashMap<>();
  private @Nullable RandomGenerator random;
  private @Nullable ResponseCache cache;
  private int maxAdHocDeployments = DEFAULT_MAX_AD_HOC_DEPLOYMENTS;
  private Duration adHocDeploymentExpiry = DEFAULT_AD_HOC_DEPLOYMENT_EXPIRY;
  private byte @Nullable [] endUserIdKey;
  private boolean closeProviders;
  private boolean logCalls;
  private boolean mdc = true;
  private @Nullable AccessPolicy access;
  private @Nullable RateLimits rateLimits;
  private @Nullable Budgets budgets;
  private @Nullable Policies policies;
  /** Provider and alias names inherited from a built gateway: a new one of the name replaces it. */
  private final java.util.Set<String> inherited = new java.util.HashSet<>();

  GatewayBuilder() {
    for (InterceptorPosition p : InterceptorPosition.values()) {
      interceptors.put(p, new ArrayList<>());
    }
  }

  /**
   * A builder with every setting of a built gateway, sharing its executor (a pool the original
   * owns stays the original's: closing the derived gateway does not shut it down).
   */
  GatewayBuilder(GatewayConfig config, Executor sharedExecutor) {
    this();
    providers.addAll(config.providers().values());
    aliases.putAll(config.aliases());
    inherited.addAll(config.providers().keySet());
    inherited.addAll(config.aliases().keySet());
    config.interceptors().forEach((position, list) -> interceptors.get(position).addAll(list));
    listeners.addAll(config.listeners());
    usageSinks.addAll(config.usageSinks());
    auditSinks.addAll(config.auditSinks());
    access = config.access();
    rateLimits = config.rateLimits();
    budgets = config.budgets();
    policies = config.policies();
    defaultProvider = config.defaultProvider();
    authenticator = config.authenticator();
    defaultCaller = config.defaultCaller();
    defaultCallerChosen = !config.authenticateAnonymous();
    callers = config.callers();
    executor = sharedExecutor;
    clock = config.clock();
    attemptTimeout = config.attemptTimeout();
    totalTimeout = config.totalTimeout();
    firstTokenTimeout = config.firstTokenTimeout();
    idleTimeout = config.idleTimeout();
    retry = config.retry();
    circuitBreaker = config.circuitBreaker();
    failureActions.putAll(config.failureActions());
    config.deploymentPolicies().forEach(
        (d, policy) -> deploymentPolicies.put(d.toString(), policy));
    scheduler = config.scheduler();
    prices = config.prices();
    random = config.random();
    logCalls = config.logCalls();
    mdc = config.mdc();
    cache = config.cache();
    maxAdHocDeployments = config.maxAdHocDeployments();
    adHocDeploymentExpiry = config.adHocDeploymentExpiry();
    endUserIdKey = config.endUserIdKey();
  }

  static GatewayBuilder derivedFrom(Gateway gateway) {
    if (gateway instanceof RealGateway built) {
      return new GatewayBuilder(built.config(), built.executor());
    }
    throw new UnsupportedOperationException(gateway.getClass().getName()
        + " cannot derive a builder; build a gateway with Gateway.builder()");
  }

  /** Adds a provider; its {@link Provider#name()} must be unique. */
  public GatewayBuilder provider(Provider provider) {
    Objects.requireNonNull(provider, "provider");
    if (inherited.remove(provider.name())) {
      providers.removeIf(p -> p.name().equals(provider.name()));
    }
    providers.add(provider);
    return this;
  }

  /**
   * The provider that serves bare model names (no alias, no {@code provider/}). Defaults to the
   * only provider when there is exactly one.
   */
  public GatewayBuilder defaultProvider(String providerName) {
    this.defaultProvider = Objects.requireNonNull(providerName, "providerName");
    return this;
  }

  /** Defines a virtual model name (e.g. {@code smart}) that stands for a route. */
  public GatewayBuilder alias(String name, Route route) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(route, "route");
    if (name.isBlank() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "alias '" + name + "' must be a non-blank name without '/'");
    }
    if (aliases.put(name, route) != null && !inherited.remove(name)) {
      duplicateAliases.add(name);
    }
    return this;
  }

  /** Adds one of your interceptors at a position of the chain. */
  public GatewayBuilder interceptor(InterceptorPosition position, Interceptor interceptor) {
    Objects.requireNonNull(position, "position");
    interceptors.get(position).add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /** Checks credentials ({@link Caller.ApiKey}, {@link Caller.BearerToken}) passed with calls. */
  public GatewayBuilder authenticator(Authenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    return this;
  }

  /**
   * The caller of calls made without one; defaults to {@link dev.llmgateway.Principal#ANONYMOUS}.
   * A principal set here is trusted as is. When an {@link #authenticator} is set and this is not,
   * calls without a caller (and calls as {@code Principal.ANONYMOUS}) go through the authenticator
   * like any credential, so an authenticating gateway never serves an unauthenticated call by
   * default: the authenticator decides whether anonymous calls are allowed.
   */
  public GatewayBuilder defaultCaller(Caller caller) {
    this.defaultCaller = Objects.requireNonNull(caller, "caller");
    this.defaultCallerChosen = true;
    return this;
  }

  /**
   * Which kinds of caller the gateway accepts: credentials its {@link #authenticator} checks,
   * principals the host application passes with {@code gateway.chat(request, principal)}
   * (trusted as is), or both (the default). A caller of another kind is refused with an {@link
   * dev.llmgateway.AuthenticationException}, metered {@code REFUSED} and audited. {@code build()}
   * refuses {@link CallerPolicy#CREDENTIALS_ONLY} without an authenticator or with a principal as
   * the default caller, and {@link CallerPolicy#PRINCIPALS_ONLY} with an authenticator.
   */
  public GatewayBuilder callers(CallerPolicy policy) {
    this.callers = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** Adds a listener; listeners are called in the order added and cannot break a call. */
  public GatewayBuilder listener(GatewayListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Adds a sink for usage records, delivered asynchronously with {@link UsageDelivery#defaults()}
   * (its own bounded queue and delivery thread; a full queue drops and counts) — except the
   * gateway's in-memory sinks, {@link InMemoryUsageSink} and {@link UsageAggregates}, which never
   * block and are called {@link UsageDelivery#inline() inline}, on the thread that ends the call,
   * so that they hold a call's record when {@code chat} returns. A sink that throws cannot break a
   * call. Same as {@link #usageSink(UsageSink, UsageDelivery)} with that delivery.
   */
  public GatewayBuilder usageSink(UsageSink sink) {
    Objects.requireNonNull(sink, "sink");
    return usageSink(sink, sink instanceof InMemoryUsageSink || sink instanceof UsageAggregates
        ? UsageDelivery.inline() : UsageDelivery.defaults());
  }

  /**
   * Adds a sink for usage records, delivered as {@code delivery} says: {@link
   * UsageDelivery#inline()}, {@link UsageDelivery#billing(java.nio.file.Path)} or your own {@link
   * UsageDelivery#builder()}. Each asynchronous sink gets its own queue and delivery thread;
   * {@link Gateway#close()} drains them, and {@link Gateway#usageDelivery()} counts what became of
   * the records. Sinks are called in the order added (inline ones on the thread that ends the
   * call, before asynchronous ones are handed the record).
   */
  public GatewayBuilder usageSink(UsageSink sink, UsageDelivery delivery) {
    usageSinks.add(new UsageSinkSetting(sink, delivery));
    return this;
  }

  /**
   * The executor for {@code chatAsync} and for streams the gateway itself produces. Defaults to a
   * pool of daemon threads that {@link Gateway#close()} shuts down; an executor you supply is never
   * shut down by the gateway.
   */
  public GatewayBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * The secret key end-user ids are hashed with before they reach a provider (OpenAI's {@code
   * safety_identifier}, Anthropic's {@code metadata.user_id}): each is sent as the HMAC-SHA256 of
   * the {@link dev.llmgateway.Principal#userId()} under this key, in hex. A keyed hash, unlike a
   * plain one, cannot be checked by a provider against a guessed id such as an e-mail address.
   *
   * <p>By default each built gateway draws a random 32-byte key, so the same user has the same
   * hash within one gateway (and the gateways {@link Gateway#newBuilder()} derives from it, which
   * inherit its key) but a different one in another JVM or after a restart. Give every JVM of an
   * application the same key (from your secret store, never from code) when a provider should see
   * one stable identifier per user across them. The key is copied and never printed.
   *
   * @throws IllegalArgumentException when the key is shorter than 16 bytes (32 are recommended)
   */
  public GatewayBuilder endUserIdKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < EndUsers.MIN_KEY_BYTES) {
      throw new IllegalArgumentException("endUserIdKey needs at least " + EndUsers.MIN_KEY_BYTES
          + " bytes (32 recommended), was " + key.length);
    }
    this.endUserIdKey = key.clone();
    return this;
  }

  /**
   * The clock for usage record timestamps, circuit breakers and the expiry of {@link
   * #adHocDeploymentExpiry(Duration) ad-hoc deployment states} (inject a fixed one in tests).
   */
  public GatewayBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The most time one attempt may take: the whole response of a unary call, the time to the first
   * token of a stream (unless {@link #firstTokenTimeout(Duration)} says otherwise; a long, healthy
   * stream is never cut by it). Passed to the transport as the attempt's deadline, and enforced by
   * the gateway's own timer whatever the transport does with it. Unset by default (an attempt
   * then has what the call has left).
   */
  public GatewayBuilder attemptTimeout(Duration timeout) {
    this.attemptTimeout = positive("attemptTimeout", timeout);
    return this;
  }

  /**
   * The most time one call may take, every attempt included; a request's own {@link
   * dev.llmgateway.RequestOptions#deadline()} may shorten it. The gateway enforces it itself,
   * whatever the transport does: an attempt still running at the deadline is cancelled and the
   * call ends with a {@link dev.llmgateway.GatewayTimeoutException} of kind {@code TOTAL}. By
   * default {@link #DEFAULT_TOTAL_TIMEOUT} for chat and embedding calls, none for streams.
   */
  public GatewayBuilder totalTimeout(Duration timeout) {
    this.totalTimeout = positive("totalTimeout", timeout);
    return this;
  }

  /**
   * The most time a stream's attempt may take to its first token (then it is cancelled and counts
   * as failed); defaults to the attempt timeout.
   */
  public GatewayBuilder firstTokenTimeout(Duration timeout) {
    this.firstTokenTimeout = positive("firstTokenTimeout", timeout);
    return this;
  }

  /**
   * The longest a stream may go quiet between events once it has started; then the HTTP call is
   * cancelled and the stream ends with a {@link dev.llmgateway.GatewayTimeoutException} of kind
   * {@code IDLE}. {@link #DEFAULT_IDLE_TIMEOUT} by default.
   */
  public GatewayBuilder idleTimeout(Duration timeout) {
    this.idleTimeout = positive("idleTimeout", timeout);
    return this;
  }

  /**
   * The gateway's retry policy: {@link RetryPolicy#defaults()} (2 retries with backoff and jitter,
   * as the official SDKs) unless set; {@link RetryPolicy#none()} turns retries off, so failures
   * fail over at once.
   */
  public GatewayBuilder retry(RetryPolicy policy) {
    this.retry = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * The circuit breaker every deployment gets ({@link CircuitBreakerPolicy#defaults()} unless
   * set; {@link CircuitBreakerPolicy#disabled()} turns breakers off). The gateway's {@link
   * Gateway#health()} reports each deployment's state.
   */
  public GatewayBuilder circuitBreaker(CircuitBreakerPolicy policy) {
    this.circuitBreaker = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * What follows an attempt that fails with {@code type} or a subclass (the most specific
   * setting wins); see {@link FailureAction} for the defaults.
   */
  public GatewayBuilder onFailure(Class<? extends GatewayException> type, FailureAction action) {
    failureActions.put(Objects.requireNonNull(type, "type"),
        Objects.requireNonNull(action, "action"));
    return this;
  }

  /** Settings for one deployment ({@code provider/model}) that override the gateway's. */
  public GatewayBuilder deployment(String deployment, DeploymentPolicy policy) {
    Deployment.parse(Objects.requireNonNull(deployment, "deployment"));
    deploymentPolicies.put(deployment, Objects.requireNonNull(policy, "policy"));
    return this;
  }

  /**
   * The scheduler for the gateway's timers (first-token, idle and total timeouts of streams,
   * hedges) and retry backoff. Defaults to the timer wheel that every gateway and transport in the
   * JVM shares (5 ms ticks; scheduling a timer wakes no thread); a scheduler you supply, e.g. a
   * deterministic one in tests, is never shut down by the gateway.
   */
  public GatewayBuilder scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * The price table for cost figures and the cheapest-first strategy; defaults to {@link
   * PriceTable#bundled()}. {@link #price(String, Price)} adds to whichever table is set.
   */
  public GatewayBuilder prices(PriceTable table) {
    this.prices = Objects.requireNonNull(table, "table");
    return this;
  }

  /**
   * The price of one deployment ({@code provider/model}), over the table's: for a model the
   * bundled table lacks, a negotiated rate, or an Azure deployment name.
   */
  public GatewayBuilder price(String deployment, Price price) {
    Deployment.parse(Objects.requireNonNull(deployment, "deployment"));
    priceOverrides.put(deployment, Objects.requireNonNull(price, "price"));
    return this;
  }

  /**
   * The random source of routing (weighted draws, non-sticky splits, latency exploration); must
   * be thread-safe (e.g. a seeded {@link java.util.Random} in tests). Defaults to {@link
   * java.util.concurrent.ThreadLocalRandom}.
   */
  public GatewayBuilder random(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /**
   * Answers repeated requests from a cache (exact match on the normalised request, the A/B variant
   * included); off by default. See {@link ResponseCache}.
   */
  public GatewayBuilder cache(ResponseCache cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
    return this;
  }

  /**
   * The most deployments the gateway keeps live state for (a circuit breaker with its latency
   * statistics, about 3 KB each) among those the configuration does not name: a {@code
   * provider/model} or a bare model name that a caller sends. Deployments the configuration names
   * — the candidates of every route, content-filter fallbacks and those given {@link
   * #deployment(String, DeploymentPolicy) settings} — keep their state for the gateway's life and
   * do not count. Past the bound the least used state is dropped (Caffeine's size eviction), and so
   * is one unused for {@link #adHocDeploymentExpiry(Duration)}; {@link Gateway#health()} lists the
   * states kept. A dropped state is created afresh (circuit closed, no statistics) on the
   * deployment's next call, while a call that was using it keeps it to its end; so a breaker that
   * must not be forgotten belongs to a deployment the configuration names. Defaults to 1,000.
   *
   * @throws IllegalArgumentException if {@code maximum} is not positive
   */
  public GatewayBuilder maxAdHocDeployments(int maximum) {
    if (maximum <= 0) {
      throw new IllegalArgumentException("maxAdHocDeployments must be positive, was " + maximum);
    }
    this.maxAdHocDeployments = maximum;
    return this;
  }

  /**
   * How long the live state of a deployment the configuration does not name (see {@link
   * #maxAdHocDeployments(int)}) is kept after its last use, timed by the gateway's {@link
   * #clock(Clock) clock}. Defaults to one hour.
   *
   * @throws IllegalArgumentException if {@code expiry} is not positive
   */
  public GatewayBuilder adHocDeploymentExpiry(Duration expiry) {
    this.adHocDeploymentExpiry = positive("adHocDeploymentExpiry", expiry);
    return this;
  }

  /**
   * Whether {@link Gateway#close()} also closes the providers. Off by default: a provider you pass
   * in is yours, and one provider may serve several gateways (a {@link Gateway#newBuilder()}
   * variant shares them); turn it on when the providers were built for this gateway alone. The
   * gateway always shuts down what it created itself (its executor, when you gave none).
   */
  public GatewayBuilder closeProviders(boolean close) {
    this.closeProviders = close;
    return this;
  }

  /**
   * Adds a sink for audit events ({@link dev.llmgateway.AuditEvent}: refused credentials, access
   * denials, API key administration), called on the thread where the event happens. Without any,
   * the gateway logs them through SLF4J ({@link Slf4jAuditSink}, logger {@value
   * Slf4jAuditSink#LOGGER}).
   */
  public GatewayBuilder auditSink(AuditSink sink) {
    auditSinks.add(Objects.requireNonNull(sink, "sink"));
    return this;
  }

  /**
   * Checks every call against this access policy, right after authentication: rules per org, team
   * and key id over aliases, models, providers and deployments, output tokens and features. A call
   * the rules refuse fails with an {@link dev.llmgateway.AccessDeniedException} naming the rule;
   * deployments they deny are taken out of the call's routing plan, so that no failover, hedge or
   * budget downgrade reaches them. Without a policy every authenticated caller may call anything.
   */
  public GatewayBuilder access(AccessPolicy policy) {
    this.access = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Counts every call against these rate limits, right after access (before your {@code
   * BEFORE_ROUTING} interceptors): requests and tokens per sliding window and calls in flight, per
   * org, team, project, user, key or gateway-wide, each limit applying to the calls whose principal
   * has an id for its scope. A call over a limit fails with a {@link
   * dev.llmgateway.RateLimitedException} naming the limit, with {@code retryAfter}, and is metered
   * {@code REFUSED} by {@code LIMIT}. Deployment limits count attempts instead: a deployment at its
   * limit is skipped in the plan (the reason names the limit) and the call fails over. The limits
   * can be changed while the gateway runs ({@link RateLimits#set}); gateways given the same {@code
   * RateLimits} count together. The algorithm and its bound: {@link RateLimit}.
   */
  public GatewayBuilder rateLimits(RateLimits limits) {
    this.rateLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * Counts every call against these budgets: monthly (or daily, weekly) spending caps per org,
   * team, project or API key. Near a budget's limit (its soft threshold, 80 % spent by default)
   * calls that are not {@link dev.llmgateway.RequestOptions#critical() critical} go down their
   * alias's cheaper route ({@link Route#downgradeTo(String)}); at the limit calls are refused with
   * a {@link dev.llmgateway.BudgetExceededException} (or only downgraded). Each call reserves the
   * most it can cost once its route is planned and is charged what its usage record says it cost
   * when it ends. The budgets count on this gateway's {@link #clock(Clock) clock} unless their
   * builder was given one. See {@link Budgets} for the steps and the worst-case overspend. Without
   * budgets nothing is counted.
   */
  public GatewayBuilder budgets(Budgets budgets) {
    this.budgets = Objects.requireNonNull(budgets, "budgets");
    return this;
  }

  /**
   * Runs every call under these input and output policies: PII redaction with placeholders
   * restored in the answer, prompt-injection scanning, content filters and moderation, request
   * transformation and the structured-output check — a {@link PolicySet} per alias or team, enforced
   * or only monitored. The policy step runs after access and before rate limits, cache and routing,
   * so everything after it (token counts, the cache, attempt listeners, transports, the provider)
   * sees the redacted request. A block refuses the call with a {@link
   * dev.llmgateway.PolicyViolationException}, metered {@code REFUSED} by {@code POLICY}; what the
   * policies found is in the response's and the usage record's {@code policies()}. Without
   * policies no step runs.
   */
  public GatewayBuilder policies(Policies policies) {
    this.policies = Objects.requireNonNull(policies, "policies");
    return this;
  }

  /**
   * Whether each call's one summary line (call id, team, requested model → deployment, outcome,
   * tokens, cost, latency, attempts; never content or a raw user id) is logged at INFO to the
   * logger {@code dev.llmgateway.core.summary}. Off by default: the line is then logged at DEBUG,
   * so enabling that logger's DEBUG level shows it too. The gateway's other loggers are listed in
   * the README's Logging section.
   */
  public GatewayBuilder logCalls(boolean log) {
    this.logCalls = log;
    return this;
  }

  /**
   * Whether the gateway puts the call's id ({@code llm.call_id}) and team ({@code llm.team}) in
   * SLF4J's MDC while it works on a call on the caller's thread (and around its own work on the
   * executor: a {@code chatAsync} call, a hedge, a retry after its backoff), restoring what was
   * there when it returns or throws. On by default; off, the gateway touches no MDC.
   */
  public GatewayBuilder mdc(boolean set) {
    this.mdc = set;
    return this;
  }

  static Duration positive(String name, Duration value) {
    return Checks.positive(name, value);
  }

  /**
   * Checks the configuration and builds the gateway.
   *
   * @throws IllegalStateException naming the offending value when settings do not fit together
   */
  public Gateway build() {
    if (providers.isEmpty()) {
      throw new IllegalStateException("a gateway needs at least one provider: call .provider(...)");
    }
    Map<String, Provider> byName = new LinkedHashMap<>();
    for (Provider provider : providers) {
      String name = provider.name();
      if (name == null || name.isBlank() || name.indexOf('/') >= 0) {
        throw new IllegalStateException(
            "provider name '" + name + "' must be non-blank and contain no '/'");
      }
      if (byName.put(name, provider) != null) {
        throw new IllegalStateException("two providers are named '" + name
            + "': give each a unique name (e.g. openai-eu, openai-us)");
      }
    }
    if (!duplicateAliases.isEmpty()) {
      throw new IllegalStateException("alias '" + duplicateAliases.get(0) + "' is defined twice");
    }
    for (Map.Entry<String, Route> alias : aliases.entrySet()) {
      if (byName.containsKey(alias.getKey())) {
        throw new IllegalStateException("alias '" + alias.getKey()
            + "' has the name of a provider; pick another name");
      }
    }
    String fallbackProvider = defaultProvider;
    if (fallbackProvider != null && !byName.containsKey(fallbackProvider)) {
      throw new IllegalStateException("defaultProvider '" + fallbackProvider
          + "' names no configured provider (providers: " + byName.keySet() + ")");
    }
    if (fallbackProvider == null && byName.size() == 1) {
      fallbackProvider = byName.keySet().iterator().next();
    }
    Map<Deployment, DeploymentPolicy> perDeployment = new LinkedHashMap<>();
    deploymentPolicies.forEach((name, policy) -> {
      Deployment d = Deployment.parse(name);
      if (!byName.containsKey(d.provider())) {
        throw new IllegalStateException("deployment '" + name + "' has settings but no provider"
            + " is named '" + d.provider() + "' (providers: " + byName.keySet() + ")");
      }
      perDeployment.put(d, policy);
    });
    if (attemptTimeout != null && totalTimeout != null
        && attemptTimeout.compareTo(totalTimeout) > 0) {
      throw new IllegalStateException("attemptTimeout (" + attemptTimeout
          + ") exceeds totalTimeout (" + totalTimeout + "): no attempt could use it all");
    }
    if (defaultCaller instanceof Caller.ApiKey || defaultCaller instanceof Caller.BearerToken) {
      if (authenticator == null) {
        throw new IllegalStateException("the default caller is a credential (" + defaultCaller
            + ") but no authenticator is configured to check it");
      }
    }
    checkCallers();
    checkRateLimits(byName);
    if (budgets != null) {
      budgets.useGatewayClock(clock);
    }
    Map<InterceptorPosition, List<Interceptor>> chain = new EnumMap<>(InterceptorPosition.class);
    interceptors.forEach((position, list) -> chain.put(position, List.copyOf(list)));
    return new RealGateway(new GatewayConfig(byName, Map.copyOf(aliases), fallbackProvider, chain,
        authenticator, defaultCaller, List.copyOf(listeners), List.copyOf(usageSinks), executor,
        clock, attemptTimeout, totalTimeout, firstTokenTimeout, idleTimeout, retry,
        circuitBreaker, Map.copyOf(failureActions), Map.copyOf(perDeployment), scheduler,
        priceTable(), random, cache, maxAdHocDeployments, adHocDeploymentExpiry,
        endUserIdKey != null ? endUserIdKey.clone() : EndUsers.randomKey(),
        authenticator != null && !defaultCallerChosen, closeProviders, logCalls, mdc,
        auditSinks.isEmpty() ? List.of(Slf4jAuditSink.create()) : List.copyOf(auditSinks),
        callers, access, rateLimits, budgets, policies));
  }

  /** A deployment limit must name a configured provider (checked for the limits set now). */
  private void checkRateLimits(Map<String, Provider> byName) {
    if (rateLimits == null) {
      return;
    }
    for (RateLimit limit : rateLimits.limits()) {
      if (limit.scope() == Scope.DEPLOYMENT && limit.id() != null) {
        String provider = Deployment.parse(limit.id()).provider();
        if (!byName.containsKey(provider)) {
          throw new IllegalStateException("rate limit '" + limit.name() + "' is for deployment '"
              + limit.id() + "' but no provider is named '" + provider + "' (providers: "
              + byName.keySet() + ")");
        }
      }
    }
  }

  private void checkCallers() {
    if (callers == CallerPolicy.CREDENTIALS_ONLY) {
      if (authenticator == null) {
        throw new IllegalStateException("callers(CREDENTIALS_ONLY) needs an authenticator to"
            + " check the credentials: set authenticator(...) or accept principals (BOTH)");
      }
      if (defaultCallerChosen && defaultCaller instanceof dev.llmgateway.Principal) {
        throw new IllegalStateException("callers(CREDENTIALS_ONLY) refuses principals, but the"
            + " default caller is " + defaultCaller + ": drop defaultCaller(...) or use BOTH");
      }
    }
    if (callers == CallerPolicy.PRINCIPALS_ONLY && authenticator != null) {
      throw new IllegalStateException("callers(PRINCIPALS_ONLY) refuses credentials, but an"
          + " authenticator (" + authenticator + ") is set: remove one of them or use BOTH");
    }
  }

  private PriceTable priceTable() {
    PriceTable base = prices != null ? prices : PriceTable.bundled();
    if (priceOverrides.isEmpty()) {
      return base;
    }
    PriceTable.Builder table = base.toBuilder();
    priceOverrides.forEach(table::put);
    return table.build();
  }
}
