package dev.llmgateway.core.internal;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.DeploymentHealth;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.VariantStats;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.UsageSink;
import java.math.BigDecimal;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The gateway: the call's chain is assembled once here; each call gets a {@link CallState}, runs
 * the chain, and is metered exactly once on whichever path ends it.
 */
public final class RealGateway implements Gateway {
  private final GatewayConfig config;
  private final Interceptor[] chain;
  private final GatewayListener listener;
  private final UsageSink[] sinks;
  private final Guard[] sinkGuards;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final Clock clock;
  private final String idPrefix;
  private final AtomicLong ids = new AtomicLong();
  private final long totalTimeoutNanos;
  private final Resilience resilience;
  private final Routing routing;
  private final Experiments experiments = new Experiments();
  private final dev.llmgateway.core.PriceTable prices;

  /** Assembles the chain; called by {@code GatewayBuilder.build()}. */
  public RealGateway(GatewayConfig config) {
    this.config = config;
    this.listener = SafeListener.of(config.listeners());
    this.clock = config.clock();
    this.sinks = config.usageSinks().toArray(new UsageSink[0]);
    this.sinkGuards = new Guard[sinks.length];
    for (int i = 0; i < sinks.length; i++) {
      sinkGuards[i] = new Guard("usage sink", sinks[i]);
    }
    if (config.executor() != null) {
      this.executor = config.executor();
      this.ownedExecutor = null;
    } else {
      ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());
      this.executor = pool;
      this.ownedExecutor = pool;
    }
    this.resilience = new Resilience(config, config.scheduler() != null
        ? Timers.on(config.scheduler()) : Timers.shared());
    this.totalTimeoutNanos =
        config.totalTimeout() == null ? 0 : config.totalTimeout().toNanos();
    this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);

    List<Interceptor> attempt = new ArrayList<>(
        config.interceptors().get(InterceptorPosition.AROUND_ATTEMPT));
    attempt.add(new TransportInterceptor(config.providers()));

    List<Interceptor> call = new ArrayList<>(config.interceptors().get(InterceptorPosition.FIRST));
    call.add(new AuthInterceptor(config.authenticator()));
    call.addAll(config.interceptors().get(InterceptorPosition.BEFORE_ROUTING));
    this.prices = config.prices();
    this.routing = new Routing(config, resilience, this);
    if (config.cache() != null) {
      call.add(new CacheInterceptor(config.cache(), routing));
    }
    call.add(new RouteInterceptor(routing, listener));
    call.add(new ExecuteInterceptor(attempt.toArray(new Interceptor[0]), listener, resilience,
        config.providers(), executor));
    this.chain = call.toArray(new Interceptor[0]);
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "llm-gateway-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  GatewayListener listener() {
    return listener;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return chat(request, config.defaultCaller());
  }

  @Override
  public ChatResponse chat(ChatRequest request, Caller caller) {
    CallState call = begin(CallKind.CHAT, request, caller);
    ChatResponse response;
    try {
      CallResult result = run(call, request);
      response = result instanceof ChatStream s ? s.collect() : (ChatResponse) result;
    } catch (RuntimeException e) {
      throw meterFailed(call, e, null);
    }
    return complete(call, response, null);
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return chatAsync(request, config.defaultCaller());
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, Caller caller) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(caller, "caller");
    return CompletableFuture.supplyAsync(() -> chat(request, caller), executor);
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    return stream(request, config.defaultCaller());
  }

  @Override
  public ChatStream stream(ChatRequest request, Caller caller) {
    CallState call = begin(CallKind.STREAM, request, caller);
    ChatStream stream;
    try {
      CallResult result = run(call, request);
      stream = result instanceof ChatResponse r
          ? ChatStream.fromResponse(r, executor)
          : (ChatStream) result;
    } catch (RuntimeException e) {
      stream = ChatStream.failed(meterFailed(call, e, null), executor);
    }
    return new MeteredStream(this, call, stream);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request) {
    return embed(request, config.defaultCaller());
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Caller caller) {
    CallState call = begin(CallKind.EMBED, request, caller);
    EmbeddingResponse response;
    try {
      response = (EmbeddingResponse) run(call, request);
    } catch (RuntimeException e) {
      throw meterFailed(call, e, null);
    }
    List<Attempt> attempts = call.attempts();
    Duration latency = Duration.ofNanos(System.nanoTime() - call.startNanos());
    boolean hit = call.cacheHit();
    Usage usage = hit ? Usage.ZERO : attempts.isEmpty() ? response.usage() : call.attemptUsage();
    RoutingDecision decision = decision(call, attempts);
    BigDecimal cost = cost(call, attempts);
    EmbeddingResponse story = response.withStory(call.callId(), attempts, latency, usage, cost,
        hit, decision);
    meter(call, UsageRecord.Outcome.SUCCEEDED, story.deployment(), attempts, usage, null, null,
        latency, cost, decision);
    return story;
  }

  private CallState begin(CallKind kind, GatewayRequest request, Caller caller) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(caller, "caller");
    long start = System.nanoTime();
    long deadline = AttemptContext.NO_DEADLINE;
    if (totalTimeoutNanos > 0) {
      deadline = start + totalTimeoutNanos;
    }
    Duration callerDeadline = request.options().deadline();
    if (callerDeadline != null) {
      deadline = Math.min(deadline, start + callerDeadline.toNanos());
    }
    CallState call = new CallState(idPrefix + "-" + Long.toString(ids.incrementAndGet(), 36), kind,
        caller, request, clock.instant(), start, deadline);
    listener.onCallStart(call);
    return call;
  }

  private CallResult run(CallState call, GatewayRequest request) {
    return new RealChain(chain, 0, call, request, null).proceed(request);
  }

  /** Adds the call's story to a response and meters the call. */
  ChatResponse complete(CallState call, ChatResponse response, @Nullable Duration ttft) {
    List<Attempt> attempts = call.attempts();
    Duration latency = Duration.ofNanos(System.nanoTime() - call.startNanos());
    boolean hit = call.cacheHit();
    Usage usage = hit ? Usage.ZERO : attempts.isEmpty() ? response.usage() : call.attemptUsage();
    Deployment deployment = response.deployment();
    if (deployment == null && !attempts.isEmpty()) {
      deployment = attempts.get(attempts.size() - 1).deployment();
    }
    RoutingDecision decision = decision(call, attempts);
    BigDecimal cost = cost(call, attempts);
    ChatResponse story = response.toBuilder()
        .callId(call.callId())
        .attempts(attempts)
        .usage(usage)
        .deployment(deployment)
        .latency(latency)
        .timeToFirstToken(ttft)
        .cost(cost)
        .cacheHit(hit)
        .routing(decision)
        .build();
    meter(call, UsageRecord.Outcome.SUCCEEDED, deployment, attempts, usage, ttft, null, latency,
        cost, decision);
    return story;
  }

  /** Meters a failed call and returns the typed exception to throw. */
  GatewayException meterFailed(CallState call, Throwable failure, @Nullable Duration ttft) {
    GatewayException error = failure instanceof GatewayException g ? g
        : new GatewayInternalException("the call failed with " + failure.getClass().getName()
            + "; this is a bug in an interceptor, listener or transport", ErrorDetails.NONE,
            failure);
    List<Attempt> attempts = call.attempts();
    meter(call, UsageRecord.Outcome.FAILED, null, attempts, call.attemptUsage(), ttft,
        error, Duration.ofNanos(System.nanoTime() - call.startNanos()), cost(call, attempts),
        decision(call, attempts));
    return error;
  }

  void meterCancelled(CallState call, @Nullable Duration ttft) {
    List<Attempt> attempts = call.attempts();
    meter(call, UsageRecord.Outcome.CANCELLED, null, attempts, call.attemptUsage(), ttft,
        null, Duration.ofNanos(System.nanoTime() - call.startNanos()), cost(call, attempts),
        decision(call, attempts));
  }

  /**
   * The cost of every attempt at its deployment's price, summed exactly; zero for a cache hit or
   * a call no provider served; null when an attempt that used tokens has no known price.
   */
  private @Nullable BigDecimal cost(CallState call, List<Attempt> attempts) {
    if (call.cacheHit()) {
      return BigDecimal.ZERO;
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (Attempt a : attempts) {
      Usage u = a.usage();
      if (u.inputTokens() == 0 && u.outputTokens() == 0) {
        continue;
      }
      BigDecimal c = prices.cost(a.deployment(), u);
      if (c == null) {
        return null;
      }
      sum = sum.add(c);
    }
    return sum;
  }

  /** The route step's decision with the candidates the breakers refused added; null if none. */
  private static @Nullable RoutingDecision decision(CallState call, List<Attempt> attempts) {
    RoutingDecision decision = call.decision();
    if (decision == null) {
      return call.cacheHit() ? RoutingDecision.CACHE_HIT : null;
    }
    List<RoutingDecision.Skip> refused = null;
    for (Attempt a : attempts) {
      if (a.outcome() == Attempt.Outcome.SKIPPED) {
        if (refused == null) {
          refused = new ArrayList<>(2);
        }
        refused.add(new RoutingDecision.Skip(a.deployment(),
            a.reason() == null ? "refused by its circuit breaker" : a.reason()));
      }
    }
    return refused == null ? decision : decision.withSkipped(refused);
  }

  private void meter(CallState call, UsageRecord.Outcome outcome, @Nullable Deployment deployment,
      List<Attempt> attempts, Usage usage, @Nullable Duration ttft,
      @Nullable GatewayException error, Duration latency, @Nullable BigDecimal cost,
      @Nullable RoutingDecision decision) {
    if (!call.end()) {
      return;
    }
    if (deployment == null && outcome != UsageRecord.Outcome.SUCCEEDED && !attempts.isEmpty()) {
      deployment = attempts.get(attempts.size() - 1).deployment();
    }
    UsageRecord record = new UsageRecord(call.callId(), call.timestamp(), call.kind(),
        call.principal(), call.requestedModel(), deployment, attempts, usage, cost, latency, ttft,
        outcome, error == null ? null : error.getClass().getSimpleName(),
        call.originalRequest().options().tags(), call.cacheHit(), decision);
    if (decision != null && decision.variant() != null) {
      Routing.Selection selection = call.selection();
      if (selection != null && selection.splitAlias() != null) {
        experiments.record(record, selection.splitAlias());
      }
    }
    for (int i = 0; i < sinks.length; i++) {
      try {
        sinks[i].accept(record);
      } catch (Throwable t) {
        sinkGuards[i].failed("accept", t);
      }
    }
    listener.onCallEnd(call, record);
  }

  @Override
  public boolean feedback(String callId, double score) {
    return experiments.feedback(Objects.requireNonNull(callId, "callId"), score);
  }

  @Override
  public List<VariantStats> variants(String alias) {
    return experiments.stats(Objects.requireNonNull(alias, "alias"));
  }

  @Override
  public Map<Deployment, DeploymentHealth> health() {
    return resilience.health();
  }

  @Override
  public void close() {
    for (Provider provider : config.providers().values()) {
      try {
        provider.close();
      } catch (RuntimeException e) {
        new Guard("provider", provider).failed("close", e);
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
