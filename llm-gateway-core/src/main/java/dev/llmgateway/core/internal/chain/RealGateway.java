package dev.llmgateway.core.internal.chain;

import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.internal.access.AccessInterceptor;
import dev.llmgateway.core.internal.admit.AdmitInterceptor;
import dev.llmgateway.core.internal.policy.PolicyInterceptor;
import dev.llmgateway.core.internal.policy.StructuredOutputStep;
import dev.llmgateway.core.internal.auth.AuthInterceptor;
import dev.llmgateway.core.internal.budget.BudgetEngine;
import dev.llmgateway.core.internal.cache.CacheInterceptor;
import dev.llmgateway.core.internal.call.Audit;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallLog;
import dev.llmgateway.core.internal.call.EndUsers;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.internal.call.Guard;
import dev.llmgateway.core.internal.call.RealChain;
import dev.llmgateway.core.internal.call.SafeListener;
import dev.llmgateway.core.internal.call.Timers;
import dev.llmgateway.core.internal.execute.ExecuteInterceptor;
import dev.llmgateway.core.internal.execute.Resilience;
import dev.llmgateway.core.internal.execute.TransportInterceptor;
import dev.llmgateway.core.internal.health.Deployments;
import dev.llmgateway.core.internal.meter.MeterInterceptor;
import dev.llmgateway.core.internal.meter.delivery.UsageDeliveries;
import dev.llmgateway.core.internal.route.Experiments;
import dev.llmgateway.core.internal.route.PlanInterceptor;
import dev.llmgateway.core.internal.route.RouteCompiler;
import dev.llmgateway.core.internal.route.RoutePlanner;
import dev.llmgateway.core.internal.route.RouteWalk;
import dev.llmgateway.core.internal.route.SelectInterceptor;
import dev.llmgateway.core.resilience.DeploymentHealth;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.route.VariantStats;
import dev.llmgateway.core.usage.UsageDeliveryStats;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The gateway: the call's chain is assembled once here; each call gets a {@link Call}, runs
 * the chain, and is metered exactly once on whichever path ends it.
 */
public final class RealGateway implements Gateway {
  private final GatewayConfig config;
  private final Interceptor[] chain;
  private final GatewayListener listener;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final Clock clock;
  private final String idPrefix;
  private final AtomicLong ids = new AtomicLong();
  /** The total limit of chat and embedding calls, and of streams (0: none). */
  private final long unaryTotalNanos;
  private final long streamTotalNanos;
  private final Deployments deployments;
  private final Experiments experiments = new Experiments();
  private final MeterInterceptor meter;
  private final UsageDeliveries usage;
  private final EndUsers endUsers;
  private final CallLog log;
  private volatile boolean closed;

  /**
   * Assembles the chain, once: metering (outermost), the user's {@code FIRST} interceptors,
   * authentication, access (when a policy is set), the input policies (when set), rate limits
   * (when set), budget admission (when
   * budgets are set), the user's {@code BEFORE_ROUTING} interceptors, select, cache (when
   * configured), plan, budget reservation (with budgets), the structured-output check (when a policy set has one), execute (whose attempts run the user's
   * {@code AROUND_ATTEMPT} interceptors, then the transport). Called by {@code
   * GatewayBuilder.build()}.
   */
  public RealGateway(GatewayConfig config) {
    this.config = config;
    this.log = new CallLog(config.logCalls(), config.mdc());
    this.listener = log.around(SafeListener.of(config.listeners()));
    this.clock = config.clock();
    if (config.executor() != null) {
      this.executor = config.executor();
      this.ownedExecutor = null;
    } else {
      ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());
      this.executor = pool;
      this.ownedExecutor = pool;
    }
    this.deployments = new Deployments(config);
    this.endUsers = new EndUsers(config.endUserIdKey());
    Timers timers = Timers.handingTo(
        config.scheduler() != null ? Timers.on(config.scheduler()) : Timers.shared(), executor);
    Resilience resilience = new Resilience(config, deployments, timers);
    this.unaryTotalNanos = config.totalTimeout() != null ? config.totalTimeout().toNanos()
        : Math.max(GatewayConfig.DEFAULT_TOTAL_TIMEOUT.toNanos(), longestAttemptTimeout(config));
    this.streamTotalNanos = config.totalTimeout() == null ? 0 : config.totalTimeout().toNanos();
    this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    RouteWalk routing =
        new RouteWalk(RouteCompiler.compile(config, deployments), config, deployments, this);

    List<Interceptor> attempt = new ArrayList<>(
        config.interceptors().get(InterceptorPosition.AROUND_ATTEMPT));
    attempt.add(new TransportInterceptor(config.providers()));

    List<Interceptor> call = new ArrayList<>();
    this.usage = new UsageDeliveries(config.usageSinks());
    this.meter = new MeterInterceptor(usage.isEmpty() ? List.of() : List.of(usage), listener,
        config.prices(),
        experiments, executor, timers);
    call.add(meter);
    call.addAll(config.interceptors().get(InterceptorPosition.FIRST));
    Audit audit = new Audit(config.auditSinks(), config.clock());
    call.add(new AuthInterceptor(config.authenticator(), config.authenticateAnonymous(),
        config.callers(), audit));
    if (config.access() != null) {
      call.add(new AccessInterceptor(config.access(), config.aliases().keySet(),
          config.providers().keySet(), audit));
    }
    PolicyInterceptor policies = null;
    if (config.policies() != null) {
      policies = new PolicyInterceptor(config.policies());
      policies.gateway(this);
      log.redacted();
      call.add(policies);
    }
    if (config.rateLimits() != null) {
      call.add(new AdmitInterceptor(config.rateLimits(), config.clock(),
          config.providers().keySet()));
    }
    BudgetEngine budgets =
        config.budgets() == null ? null : new BudgetEngine(config.budgets(), config.prices());
    if (budgets != null) {
      call.add(budgets.admission());
    }
    call.addAll(config.interceptors().get(InterceptorPosition.BEFORE_ROUTING));
    call.add(new SelectInterceptor(routing));
    if (config.cache() != null) {
      call.add(new CacheInterceptor(config.cache()));
    }
    call.add(new PlanInterceptor(new RoutePlanner(routing), listener));
    if (budgets != null) {
      call.add(budgets.reservation());
    }
    if (policies != null && PolicyInterceptor.checksStructuredOutput(config.policies())) {
      call.add(new StructuredOutputStep());
    }
    call.add(new ExecuteInterceptor(attempt.toArray(new Interceptor[0]), listener, resilience,
        config.providers(), executor, log));
    this.chain = call.toArray(new Interceptor[0]);
  }

  /** The settings this gateway was built from. */
  public GatewayConfig config() {
    return config;
  }

  /** The executor of this gateway's own work (its pool, or the one its builder was given). */
  public Executor executor() {
    return executor;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "llm-gateway-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return chat(request, config.defaultCaller());
  }

  @Override
  public ChatResponse chat(ChatRequest request, Caller caller) {
    ChatResponse response = (ChatResponse) run(begin(CallKind.CHAT, request, caller), request);
    log.answered(response);
    return response;
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return chatAsync(request, config.defaultCaller());
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, Caller caller) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(caller, "caller");
    checkOpen();
    AsyncCall future = new AsyncCall();
    try {
      executor.execute(() -> future.run(request, caller));
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("gateway is closed", e); // its executor shut down
    }
    return future;
  }

  /**
   * A {@code chatAsync} call's future: cancelling it cancels the call (its HTTP call too), which is
   * metered as cancelled.
   */
  private final class AsyncCall extends CompletableFuture<ChatResponse> {
    private volatile @Nullable Call call;

    void run(ChatRequest request, Caller caller) {
      if (isDone()) {
        return; // cancelled before it started: nothing was sent, nothing to meter
      }
      Call c = null;
      try {
        c = begin(CallKind.CHAT, request, caller);
        call = c;
        if (isCancelled()) {
          c.cancel();
        }
        ChatResponse response = (ChatResponse) RealGateway.this.run(c, request);
        log.answered(response);
        complete(response);
      } catch (Throwable t) {
        if (c != null && c.isCancelled()) {
          super.cancel(false); // its caller's cancel won: the future says so, not the exception
        } else {
          completeExceptionally(t);
        }
      }
    }

    /**
     * Cancels the call unless its outcome was decided first (then the future completes with it):
     * exactly one of the two wins, and the usage record says which.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      Call c = call;
      if (c != null) {
        return c.cancel(() -> AsyncCall.super.cancel(mayInterruptIfRunning));
      }
      if (!super.cancel(mayInterruptIfRunning)) {
        return false;
      }
      c = call; // it began meanwhile: run() cancels it too, whichever of us comes second
      if (c != null) {
        c.cancel();
      }
      return true;
    }
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    return stream(request, config.defaultCaller());
  }

  @Override
  public ChatStream stream(ChatRequest request, Caller caller) {
    return (ChatStream) run(begin(CallKind.STREAM, request, caller), request);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request) {
    return embed(request, config.defaultCaller());
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Caller caller) {
    return (EmbeddingResponse) run(begin(CallKind.EMBED, request, caller), request);
  }

  private Call begin(CallKind kind, GatewayRequest request, Caller caller) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(caller, "caller");
    checkOpen();
    long start = System.nanoTime();
    long deadline = AttemptContext.NO_DEADLINE;
    long total = kind == CallKind.STREAM ? streamTotalNanos : unaryTotalNanos;
    if (total > 0) {
      deadline = start + total;
    }
    Duration callerDeadline = request.options().deadline();
    if (callerDeadline != null) {
      deadline = Math.min(deadline, start + callerDeadline.toNanos());
    }
    Call call = new Call(CallIds.of(idPrefix, ids.incrementAndGet()), kind,
        caller, request, clock.instant(), start, deadline, endUsers);
    return call;
  }

  /** The longest attempt timeout configured, gateway-wide or per deployment (0: none). */
  private static long longestAttemptTimeout(GatewayConfig config) {
    long longest = config.attemptTimeout() == null ? 0 : config.attemptTimeout().toNanos();
    for (DeploymentPolicy policy : config.deploymentPolicies().values()) {
      if (policy.attemptTimeout() != null) {
        longest = Math.max(longest, policy.attemptTimeout().toNanos());
      }
    }
    return longest;
  }

  /**
   * Starts the call (the listeners hear of it) and runs the chain, with the call's MDC keys set on
   * this thread until it returns or throws; its first step, metering, turns every outcome into a
   * result or a throw.
   */
  private CallResult run(Call call, GatewayRequest request) {
    CallLog.Scope mdc = log.enter(call);
    try {
      log.received(call);
      listener.onCallStart(call);
      return new RealChain(chain, 0, call, request, null).proceed(request);
    } finally {
      mdc.close();
    }
  }

  @Override
  public boolean feedback(String callId, double score) {
    boolean split = experiments.feedback(Objects.requireNonNull(callId, "callId"), score);
    if (issued(callId)) {
      meter.feedback(new FeedbackRecord(callId, clock.instant(), score));
    }
    return split;
  }

  /** Whether {@code callId} is the id of a call this gateway began. */
  private boolean issued(String callId) {
    if (callId.length() <= idPrefix.length() + 1 || !callId.startsWith(idPrefix)
        || callId.charAt(idPrefix.length()) != '-') {
      return false;
    }
    long n = Experiments.sequenceOf(callId);
    return n >= 1 && n <= ids.get();
  }


  @Override
  public List<VariantStats> variants(String alias) {
    return experiments.stats(Objects.requireNonNull(alias, "alias"));
  }

  @Override
  public Map<Deployment, DeploymentHealth> health() {
    return deployments.health();
  }

  @Override
  public List<UsageDeliveryStats> usageDelivery() {
    return usage.stats();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("gateway is closed");
    }
  }

  /**
   * Refuses new calls, meters the streams nobody subscribed to, drains the usage sinks' queues
   * (bounded by their drain timeouts), closes the providers when the builder said so, and shuts
   * down the executor the gateway created. Calls in flight run on.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    meter.close();
    usage.close(); // after the meter: the streams it meters as not started are delivered too
    if (config.closeProviders()) {
      for (Provider provider : config.providers().values()) {
        try {
          provider.close();
        } catch (RuntimeException e) {
          new Guard("provider", provider).failed("close", e);
        }
      }
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "Gateway" + config;
  }
}
