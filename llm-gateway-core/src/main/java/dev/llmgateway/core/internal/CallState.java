package dev.llmgateway.core.internal;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.Caller;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.CallContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The state of one call: what interceptors see as its {@link CallContext}, plus what the gateway
 * collects on the way (plan, attempts) and the once-only flag that makes metering exact.
 * Thread-safe: a stream's events may arrive on another thread than the caller's.
 */
final class CallState implements CallContext {
  private final String callId;
  private final CallKind kind;
  private final Caller caller;
  private final GatewayRequest originalRequest;
  private final Instant timestamp;
  private final long startNanos;
  private final long deadlineNanos;
  private volatile @Nullable Principal principal;
  private volatile @Nullable Map<String, Object> attributes;
  private volatile List<Deployment> plan = List.of();
  private volatile dev.llmgateway.core.@Nullable Route route;
  private volatile Routing.@Nullable Selection selection;
  private volatile dev.llmgateway.@Nullable RoutingDecision decision;
  private volatile boolean cacheHit;
  private final List<Attempt> attempts = new ArrayList<>(2);
  private final AtomicInteger attemptNumbers = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile @Nullable String endUserHash;

  CallState(String callId, CallKind kind, Caller caller, GatewayRequest request, Instant timestamp,
      long startNanos, long deadlineNanos) {
    this.callId = callId;
    this.kind = kind;
    this.caller = caller;
    this.originalRequest = request;
    this.timestamp = timestamp;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
    if (caller instanceof Principal p) {
      this.principal = p;
    }
  }

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public CallKind kind() {
    return kind;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public @Nullable Principal principal() {
    return principal;
  }

  @Override
  public void principal(Principal principal) {
    this.principal = principal;
  }

  @Override
  public String requestedModel() {
    return originalRequest.model();
  }

  GatewayRequest originalRequest() {
    return originalRequest;
  }

  Instant timestamp() {
    return timestamp;
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public Map<String, Object> attributes() {
    Map<String, Object> a = attributes;
    if (a == null) {
      synchronized (this) {
        a = attributes;
        if (a == null) {
          a = new ConcurrentHashMap<>(4);
          attributes = a;
        }
      }
    }
    return a;
  }

  /** An attribute's value without creating the attribute map; null when absent. */
  @Nullable Object attributeOrNull(String key) {
    Map<String, Object> a = attributes;
    return a == null ? null : a.get(key);
  }

  /** The hashed id of the principal's end user, computed once per call; null when none. */
  @Nullable String endUserHash() {
    String hash = endUserHash;
    if (hash == null) {
      Principal p = principal;
      if (p == null || p.userId() == null) {
        return null;
      }
      hash = EndUsers.hash(p.userId());
      endUserHash = hash;
    }
    return hash;
  }

  List<Deployment> plan() {
    return plan;
  }

  void plan(List<Deployment> plan) {
    this.plan = plan;
  }

  /** The alias's route, or null for a call to a deployment or bare model. */
  dev.llmgateway.core.@Nullable Route route() {
    return route;
  }

  void route(dev.llmgateway.core.@Nullable Route route) {
    this.route = route;
  }

  /** The routing walk of this call, once made. */
  Routing.@Nullable Selection selection() {
    return selection;
  }

  void selection(Routing.Selection selection) {
    this.selection = selection;
  }

  /** Why the call went where it went, once routed. */
  dev.llmgateway.@Nullable RoutingDecision decision() {
    return decision;
  }

  void decision(dev.llmgateway.RoutingDecision decision) {
    this.decision = decision;
  }

  /** Whether the cache answered the call. */
  boolean cacheHit() {
    return cacheHit;
  }

  void cacheHit(boolean hit) {
    this.cacheHit = hit;
  }

  /** How many attempts have been started. */
  int attemptCount() {
    return attemptNumbers.get();
  }

  int nextAttemptNumber() {
    return attemptNumbers.incrementAndGet();
  }

  void recordAttempt(Attempt attempt) {
    synchronized (attempts) {
      attempts.add(attempt);
    }
  }

  List<Attempt> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  /** The usage of every attempt, summed. */
  Usage attemptUsage() {
    Usage sum = Usage.ZERO;
    synchronized (attempts) {
      for (Attempt a : attempts) {
        sum = sum.plus(a.usage());
      }
    }
    return sum;
  }

  /** True exactly once: for whoever ends the call and so meters it. */
  boolean end() {
    return ended.compareAndSet(false, true);
  }

  boolean hasEnded() {
    return ended.get();
  }

  @Override
  public String toString() {
    return "Call[" + callId + ", " + kind + ", model=" + originalRequest.model() + "]";
  }
}
