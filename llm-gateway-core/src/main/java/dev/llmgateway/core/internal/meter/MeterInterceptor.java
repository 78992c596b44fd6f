package dev.llmgateway.core.internal.meter;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallCancelledException;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.internal.cache.CacheOutcome;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Guard;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.call.Selected;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.core.internal.call.Timers;
import dev.llmgateway.core.internal.route.Experiments;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.UsageSink;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The metering step, outermost of the chain: every call — unary, streamed or embedding, answered,
 * failed, cancelled or served from the cache — leaves it with its story (call id, attempts,
 * latency, usage, cost, decision trail) and exactly one {@link UsageRecord}, handed to the usage
 * sinks, the A/B figures and the listeners' {@code onCallEnd}. A unary call is metered when the
 * chain returns or throws; a stream when its terminal event passes or the caller cancels ({@link
 * MeteredStream}). {@link Call#end()} makes the record once-only whichever path comes first.
 *
 * <p>The outcome: {@code SUCCEEDED} for an answer; {@code CANCELLED} when its caller gave up;
 * {@code REFUSED} when a step of the gateway marked the call refused ({@link Call#refuse}) before
 * it threw; {@code STREAM_FAILED} for a stream that failed after its caller had content (a first
 * token was seen); {@code FAILED} for any other failure; {@code NOT_STARTED} for a stream never
 * subscribed.
 *
 * <p>Thread-safe; the record is handed to the sinks (the gateway's usage delivery, {@code
 * meter.delivery}) on the thread that ends the call.
 */
public final class MeterInterceptor implements Step {
  private final UsageSink[] sinks;
  private final Guard[] sinkGuards;
  private final GatewayListener listener;
  private final PriceTable prices;
  private final Experiments experiments;
  private final Executor executor;
  private final Timers timers;
  /** Streams made and not yet subscribed (or expired): metered as not started on close. */
  private final Set<MeteredStream> unsubscribed = ConcurrentHashMap.newKeySet();
  /** Set by {@link #close()} before it walks {@link #unsubscribed}. */
  private volatile boolean closed;

  /**
   * How long a stream may wait for its subscriber before it is metered as not started (and a late
   * subscriber gets a failure instead of an unmetered call).
   */
  public static final Duration UNSUBSCRIBED_EXPIRY = Duration.ofMinutes(10);

  /**
   * The metering step; {@code executor} delivers streams made from unary answers, {@code timers}
   * expire streams nobody subscribes to.
   */
  public MeterInterceptor(List<UsageSink> sinks, GatewayListener listener, PriceTable prices,
      Experiments experiments, Executor executor, Timers timers) {
    this.sinks = sinks.toArray(new UsageSink[0]);
    this.sinkGuards = new Guard[this.sinks.length];
    for (int i = 0; i < this.sinks.length; i++) {
      sinkGuards[i] = new Guard("usage sink", this.sinks[i]);
    }
    this.listener = listener;
    this.prices = prices;
    this.experiments = experiments;
    this.executor = executor;
    this.timers = timers;
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    switch (call.kind()) {
      case STREAM:
        return stream(chain, call);
      case EMBED:
        return embed(chain, call);
      default:
        return chat(chain, call);
    }
  }

  private ChatResponse chat(Chain chain, Call call) {
    ChatResponse response;
    try {
      CallResult result = chain.proceed(chain.request());
      response = result instanceof ChatStream s ? s.collect() : (ChatResponse) result;
    } catch (RuntimeException e) {
      throw failed(call, e, null);
    }
    ChatResponse story = complete(call, response, null);
    if (story == null) {
      throw new IllegalStateException("call " + call.callId() + " was metered twice");
    }
    return story;
  }

  private ChatStream stream(Chain chain, Call call) {
    ChatStream stream;
    try {
      CallResult result = chain.proceed(chain.request());
      stream = result instanceof ChatResponse r
          ? ChatStream.fromResponse(r, executor)
          : (ChatStream) result;
    } catch (RuntimeException e) {
      stream = ChatStream.failed(failed(call, e, null), executor);
    }
    MeteredStream metered = new MeteredStream(this, call, stream);
    unsubscribed.add(metered);
    // added, then closed read; close() sets closed, then walks the set: a stream made while the
    // gateway closes is seen by one of the two, and expire() meters it once
    if (closed) {
      metered.expire();
    } else {
      metered.expireAfter(timers.schedule(metered::expire, UNSUBSCRIBED_EXPIRY.toNanos()));
    }
    return metered;
  }

  /** The stream was subscribed or expired: it no longer waits for {@link #close()}. */
  void subscribed(MeteredStream stream) {
    unsubscribed.remove(stream);
  }

  /**
   * The gateway closes: every stream nobody subscribed to is metered as not started, and so is a
   * stream whose making races the close (it passed the gateway's open check before) — none waits
   * for an expiry timer whose hand-off the closed executor would refuse.
   */
  public void close() {
    closed = true;
    for (MeteredStream stream : unsubscribed) {
      stream.expire();
    }
  }

  private EmbeddingResponse embed(Chain chain, Call call) {
    EmbeddingResponse response;
    try {
      response = (EmbeddingResponse) chain.proceed(chain.request());
    } catch (RuntimeException e) {
      throw failed(call, e, null);
    }
    if (!call.end()) {
      throw new IllegalStateException("call " + call.callId() + " was metered twice");
    }
    List<Attempt> attempts = call.attempts();
    Duration latency = Duration.ofNanos(System.nanoTime() - call.startNanos());
    boolean hit = cacheHit(call);
    Usage usage = hit ? Usage.ZERO : attempts.isEmpty() ? response.usage() : call.attemptUsage();
    RoutingDecision decision = decision(call, attempts);
    BigDecimal cost = cost(hit, attempts);
    EmbeddingResponse story = response.withStory(call.callId(), attempts, latency, usage, cost,
        hit, decision);
    meter(call, UsageRecord.Outcome.SUCCEEDED, story.deployment(), story.servedModel(), attempts,
        usage, null, null, latency, cost, decision);
    return story;
  }

  /** Hands a feedback score to the usage sinks. */
  public void feedback(FeedbackRecord feedback) {
    for (int i = 0; i < sinks.length; i++) {
      try {
        sinks[i].acceptFeedback(feedback);
      } catch (Throwable t) {
        sinkGuards[i].failed("acceptFeedback", t);
      }
    }
  }

  GatewayListener listener() {
    return listener;
  }

  /**
   * Adds the call's story to a response and meters the call; null when the call had already been
   * metered (its caller cancelled first: the answer then reaches no one).
   */
  @Nullable ChatResponse complete(Call call, ChatResponse response, @Nullable Duration ttft) {
    if (!call.end()) {
      return null;
    }
    List<Attempt> attempts = call.attempts();
    if (call.isCancelled()) { // its caller gave up first: the answer reaches no one
      meter(call, UsageRecord.Outcome.CANCELLED, null, null, attempts, call.attemptUsage(), ttft,
          null, Duration.ofNanos(System.nanoTime() - call.startNanos()),
          cost(cacheHit(call), attempts), decision(call, attempts));
      throw new CallCancelledException("call " + call.callId() + " was cancelled by its caller",
          null);
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - call.startNanos());
    boolean hit = cacheHit(call);
    Usage usage = hit ? Usage.ZERO : attempts.isEmpty() ? response.usage() : call.attemptUsage();
    Deployment deployment = response.deployment();
    if (deployment == null && !attempts.isEmpty()) {
      deployment = attempts.get(attempts.size() - 1).deployment();
    }
    RoutingDecision decision = decision(call, attempts);
    BigDecimal cost = cost(hit, attempts);
    ChatResponse story = response.withStory(call.callId(), attempts, usage, deployment, latency,
        ttft, cost, hit, decision, call.verdicts());
    meter(call, UsageRecord.Outcome.SUCCEEDED, deployment, response.servedModel(), attempts, usage,
        ttft, null, latency, cost, decision);
    return story;
  }

  /** Meters a failed call (unless it was metered before) and returns the typed exception. */
  GatewayException failed(Call call, Throwable failure, @Nullable Duration ttft) {
    GatewayException error = typed(failure);
    failedRecord(call, error, ttft);
    return error;
  }

  /** The exception a caller sees for {@code failure}: itself, or an internal error around it. */
  static GatewayException typed(Throwable failure) {
    return failure instanceof GatewayException g ? g
        : new GatewayInternalException("the call failed with " + failure.getClass().getName()
            + "; this is a bug in an interceptor, listener or transport", ErrorDetails.NONE,
            failure);
  }

  /**
   * Meters a failed call (a cancelled one, when its caller gave up: {@link CallCancelledException});
   * the record, or null when the call had been metered before.
   */
  @Nullable UsageRecord failedRecord(Call call, GatewayException error,
      @Nullable Duration ttft) {
    if (!call.end()) {
      return null;
    }
    List<Attempt> attempts = call.attempts();
    boolean cancelled = error instanceof CallCancelledException || call.isCancelled();
    UsageRecord.Outcome outcome;
    if (cancelled) {
      outcome = UsageRecord.Outcome.CANCELLED;
    } else if (call.refusal() != null) {
      outcome = UsageRecord.Outcome.REFUSED;
    } else if (ttft != null) {
      outcome = UsageRecord.Outcome.STREAM_FAILED; // its caller had content before it failed
    } else {
      outcome = UsageRecord.Outcome.FAILED;
    }
    return meter(call, outcome,
        null, null, attempts, call.attemptUsage(), ttft, cancelled ? null : error,
        Duration.ofNanos(System.nanoTime() - call.startNanos()),
        cost(cacheHit(call), attempts), decision(call, attempts));
  }

  /** Meters a call its caller cancelled; false when it had been metered before. */
  boolean cancelled(Call call, @Nullable Duration ttft) {
    if (!call.end()) {
      return false;
    }
    List<Attempt> attempts = call.attempts();
    meter(call, UsageRecord.Outcome.CANCELLED, null, null, attempts, call.attemptUsage(), ttft,
        null, Duration.ofNanos(System.nanoTime() - call.startNanos()),
        cost(cacheHit(call), attempts), decision(call, attempts));
    return true;
  }

  /**
   * Meters a stream its caller never subscribed to (the gateway closed, or it expired): no
   * provider was called. False when it had been metered before.
   */
  boolean notStarted(Call call) {
    if (!call.end()) {
      return false;
    }
    meter(call, UsageRecord.Outcome.NOT_STARTED, null, null, List.of(), Usage.ZERO, null, null,
        Duration.ofNanos(System.nanoTime() - call.startNanos()), BigDecimal.ZERO,
        decision(call, List.of()));
    return true;
  }

  private static boolean cacheHit(Call call) {
    CacheOutcome outcome = call.tag(CacheOutcome.class);
    return outcome != null && outcome.hit();
  }

  /**
   * The cost of every attempt at its deployment's price, summed exactly; zero for a cache hit or
   * a call no provider served; null when an attempt that used tokens has no known price.
   */
  private @Nullable BigDecimal cost(boolean cacheHit, List<Attempt> attempts) {
    if (cacheHit) {
      return BigDecimal.ZERO;
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0, n = attempts.size(); i < n; i++) {
      Attempt a = attempts.get(i);
      Usage u = a.usage();
      if (u.inputTokens() == 0 && u.outputTokens() == 0) {
        continue;
      }
      BigDecimal c = prices.cost(a.deployment(), u);
      if (c == null) {
        return null;
      }
      // ZERO (scale 0) plus c is c in value and scale when c's scale is not negative: no new sum
      sum = sum == BigDecimal.ZERO && c.scale() >= 0 ? c : sum.add(c);
    }
    return sum;
  }

  /**
   * The plan's decision (or the cache's) with the candidates the breakers refused added; null when
   * the call never reached routing.
   */
  private static @Nullable RoutingDecision decision(Call call, List<Attempt> attempts) {
    Plan plan = call.plan();
    RoutingDecision decision;
    if (plan != null) {
      decision = plan.decision();
    } else {
      CacheOutcome outcome = call.tag(CacheOutcome.class);
      return outcome == null ? null : outcome.decision();
    }
    List<RoutingDecision.Skip> refused = null;
    for (int i = 0, n = attempts.size(); i < n; i++) {
      Attempt a = attempts.get(i);
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

  /** Builds the call's one record and hands it on; the caller has won {@link Call#end()}. */
  private UsageRecord meter(Call call, UsageRecord.Outcome outcome,
      @Nullable Deployment deployment, @Nullable String servedModel, List<Attempt> attempts,
      Usage usage, @Nullable Duration ttft, @Nullable GatewayException error, Duration latency,
      @Nullable BigDecimal cost, @Nullable RoutingDecision decision) {
    if (deployment == null && outcome != UsageRecord.Outcome.SUCCEEDED && !attempts.isEmpty()) {
      deployment = attempts.get(attempts.size() - 1).deployment();
    }
    UsageRecord record = new UsageRecord(call.callId(), call.timestamp(), call.kind(),
        call.principal(), call.requestedModel(), deployment, servedModel, attempts, usage, cost,
        latency, ttft,
        outcome, error == null ? null : error.getClass().getSimpleName(),
        call.originalRequest().options().tags(), cacheHit(call), decision,
        outcome == UsageRecord.Outcome.REFUSED ? call.refusal() : null, call.verdicts());
    call.ended(record); // the steps' end hooks (limits, budgets) settle from this very record
    if (decision != null && decision.variant() != null) {
      Selected selection = call.tag(Selected.class);
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
    return record;
  }
}
