package dev.llmgateway.core.internal.admit;

import dev.llmgateway.Attempt;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.AttemptGate;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallEnd;
import dev.llmgateway.core.limit.Acquisition;
import dev.llmgateway.core.limit.LimitCounter;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.limit.Settlement;
import dev.llmgateway.spi.AttemptContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call's rate limits: what it took at admission, what its attempts took at deployment limits
 * ({@link AttemptGate}), and — when the call ends ({@link CallEnd}), whatever ends it — one {@code
 * settle} that gives it back: token estimates corrected to the record's actual usage (per call:
 * input plus output of every attempt; per deployment: of the attempts made there), requests
 * counted for attempts that were never made (a breaker refused after the gate admitted) given
 * back, every slot released.
 *
 * <p>Thread-safe: a hedge asks the gate beside the first attempt; the end may come on another
 * thread. What it holds is guarded by its monitor, which is held across the store's {@code
 * acquire} for an attempt (only this call's attempts contend for it).
 */
final class Admission implements CallEnd, AttemptGate {
  private final Call call;
  private final Principal principal;
  private final GatewayRequest request;
  private final String model;
  private final RateLimits limits;
  private final Clock clock;
  private final RateLimit[] deploymentLimits;
  private final @Nullable Memo deploymentMemo;
  private long tokens = -1;
  /** Taken at admission, with the limit each is for and where it was counted. */
  private List<LimitRequest> admitted = List.of();
  private RateLimit[] admittedLimits = NO_LIMITS;
  private @Nullable Acquisition admittedAt;
  private static final RateLimit[] NO_LIMITS = new RateLimit[0];
  /** Taken by the attempts: window requests with where each was counted, and slots. */
  private @Nullable List<Taken> attempts;
  private boolean ended;

  /** A window request an attempt at {@code deployment} took. */
  private record Taken(Deployment deployment, RateLimit limit, LimitRequest request,
      long countedAt) {}

  /**
   * The last request made for each of a list of limits, kept to be made again: the next caller
   * with the same counter (the same id, in the same tenant) reuses its counter, and for a limit of
   * requests the whole request. One per configured list; written and read without a lock (each
   * element an immutable record, safely published by its final fields; a lost write only costs
   * a new record).
   */
  static final class Memo {
    private final LimitRequest[] last;

    Memo(int limits) {
      this.last = new LimitRequest[limits];
    }
  }

  Admission(Call call, Principal principal, GatewayRequest request, String model,
      RateLimits limits, Clock clock, RateLimit[] deploymentLimits,
      @Nullable Memo deploymentMemo) {
    this.call = call;
    this.principal = principal;
    this.request = request;
    this.model = model;
    this.limits = limits;
    this.clock = clock;
    this.deploymentLimits = deploymentLimits;
    this.deploymentMemo = deploymentMemo;
  }

  /**
   * The store request of {@code limit} for this call (at {@code deployment}, for a deployment
   * limit), or null when the limit does not apply: the principal has no id for its scope, or not
   * the limit's fixed id; the deployment is not the limit's. {@code memo} (when not null) keeps
   * the limit's last request at {@code index}.
   */
  @Nullable LimitRequest requestFor(RateLimit limit, @Nullable Memo memo, int index,
      @Nullable Deployment deployment) {
    Scope scope = limit.scope();
    String id = deployment != null ? Scope.idOf(deployment) : scope.idOf(principal);
    if (id == null || (limit.id() != null && !limit.id().equals(id))) {
      return null;
    }
    String tenant = scope == Scope.GLOBAL || scope == Scope.DEPLOYMENT
        || principal.orgId() == null ? "" : principal.orgId();
    LimitRequest last = memo == null ? null : memo.last[index];
    LimitCounter counter;
    if (last != null && last.counter().id().equals(id)
        && last.counter().tenant().equals(tenant)) {
      if (limit.kind() == RateLimit.Kind.REQUESTS) {
        return last; // the same counter, limit and amount: the same request
      }
      counter = last.counter();
    } else {
      counter = new LimitCounter(limit.name(), scope, tenant, id);
    }
    LimitRequest made = switch (limit.kind()) {
      case REQUESTS -> LimitRequest.window(counter, limit.limit(), limit.windowMillis(),
          limit.bucketCount(), 1);
      case TOKENS -> LimitRequest.window(counter, limit.limit(), limit.windowMillis(),
          limit.bucketCount(), tokens());
      default -> LimitRequest.slot(counter, limit.limit(), call.callId(), leaseUntil());
    };
    if (memo != null && (last == null || counter != last.counter())) {
      memo.last[index] = made; // a new counter (a request of requests is only made then)
    }
    return made;
  }

  /** The request's estimated input tokens, counted once. */
  private synchronized long tokens() {
    if (tokens < 0) {
      tokens = Math.max(0, limits.tokenCounter().inputTokens(request, model));
    }
    return tokens;
  }

  /** When a slot taken now expires if never released: the call's deadline plus the margin. */
  private long leaseUntil() {
    long now = clock.millis();
    long deadline = call.deadlineNanos();
    long left = deadline == AttemptContext.NO_DEADLINE ? limits.maxLease().toMillis()
        : Math.max(0, (deadline - System.nanoTime()) / 1_000_000)
            + limits.leaseMargin().toMillis();
    return now + left;
  }

  /** Keeps what the call took at admission. */
  synchronized void admitted(List<LimitRequest> requests, RateLimit[] applied,
      Acquisition acquired) {
    admitted = requests;
    admittedLimits = applied;
    admittedAt = acquired;
  }

  /** The gate: counts an attempt at {@code deployment} against its deployment limits. */
  @Override
  public synchronized @Nullable GatewayException admit(Call c, Deployment deployment) {
    if (ended) {
      return null; // nothing may be taken that the end would not give back
    }
    List<LimitRequest> requests = null;
    List<RateLimit> applied = null;
    for (int j = 0; j < deploymentLimits.length; j++) {
      RateLimit limit = deploymentLimits[j];
      LimitRequest r = requestFor(limit, deploymentMemo, j, deployment);
      if (r != null) {
        if (requests == null) {
          requests = new ArrayList<>(deploymentLimits.length);
          applied = new ArrayList<>(deploymentLimits.length);
        }
        requests.add(r);
        applied.add(limit);
      }
    }
    if (requests == null) {
      return null;
    }
    Acquisition acquired;
    try {
      acquired = limits.store().acquire(requests, clock.millis());
    } catch (RuntimeException e) {
      return AdmitInterceptor.storeFailed(e); // this deployment is skipped with the reason
    }
    if (!acquired.isAdmitted()) {
      int i = acquired.refusedIndex();
      RateLimit limit = applied.get(i);
      return AdmitInterceptor.refusal(limit, requests.get(i), acquired.retryAfter());
    }
    if (attempts == null) {
      attempts = new ArrayList<>(requests.size());
    }
    for (int i = 0; i < requests.size(); i++) {
      attempts.add(new Taken(deployment, applied.get(i), requests.get(i),
          acquired.countedAtMillis(i)));
    }
    return null;
  }

  /** The call ended: settles what it and its attempts took, in one store call. */
  @Override
  public void ended(UsageRecord record) {
    List<LimitRequest> own;
    RateLimit[] ownLimits;
    Acquisition ownAt;
    List<Taken> taken;
    synchronized (this) {
      ended = true;
      own = admitted;
      ownLimits = admittedLimits;
      ownAt = admittedAt;
      taken = attempts == null ? List.of() : List.copyOf(attempts);
    }
    long actual = record.usage().totalTokens();
    int n = 0;
    for (int i = 0; i < own.size(); i++) {
      n += settles(own.get(i), ownLimits[i], actual, ownAt) ? 1 : 0;
    }
    Settlement[] mine = new Settlement[n]; // exact: no list to grow or copy, as a rule
    n = 0;
    for (int i = 0; i < own.size(); i++) {
      LimitRequest r = own.get(i);
      if (!settles(r, ownLimits[i], actual, ownAt)) {
        continue;
      }
      mine[n++] = r.isSlot() ? Settlement.release(r)
          : Settlement.adjust(r, Objects.requireNonNull(ownAt).countedAtMillis(i),
              actual - r.amount());
    }
    List<Settlement> settlements = Arrays.asList(mine);
    if (!taken.isEmpty()) {
      settlements = new ArrayList<>(settlements);
      settleAttempts(record, taken, settlements);
    }
    if (!settlements.isEmpty()) {
      limits.store().settle(settlements, clock.millis());
    }
  }

  /**
   * Whether what the call took on {@code r} is settled: a slot is released; tokens counted at
   * admission are corrected to {@code actual} when they differ.
   */
  private static boolean settles(LimitRequest r, RateLimit limit, long actual,
      @Nullable Acquisition at) {
    return r.isSlot() || limit.kind() == RateLimit.Kind.TOKENS && actual != r.amount()
        && at != null;
  }

  /**
   * Per deployment limit counter: requests beyond the attempts made there given back (the last
   * ones), tokens settled to the usage of those attempts (on the last one, the latest bucket),
   * each slot released once.
   */
  private static void settleAttempts(UsageRecord record, List<Taken> taken,
      List<Settlement> settlements) {
    Map<Deployment, long[]> made = new HashMap<>(); // attempts made, tokens they used
    for (Attempt a : record.attempts()) {
      if (a.outcome() != Attempt.Outcome.SKIPPED) {
        long[] m = made.computeIfAbsent(a.deployment(), d -> new long[2]);
        m[0]++;
        m[1] += a.usage().totalTokens();
      }
    }
    Map<LimitCounter, List<Taken>> byCounter = new LinkedHashMap<>();
    for (Taken t : taken) {
      byCounter.computeIfAbsent(t.request.counter(), k -> new ArrayList<>(2)).add(t);
    }
    for (List<Taken> same : byCounter.values()) {
      Taken last = same.get(same.size() - 1);
      long[] m = made.getOrDefault(last.deployment, new long[2]);
      switch (last.limit.kind()) {
        case REQUESTS -> {
          for (int i = (int) Math.min(m[0], same.size()); i < same.size(); i++) {
            Taken t = same.get(i);
            settlements.add(Settlement.adjust(t.request, t.countedAt, -1));
          }
        }
        case TOKENS -> {
          long counted = 0;
          for (Taken t : same) {
            counted += t.request.amount();
          }
          if (counted != m[1]) {
            settlements.add(Settlement.adjust(last.request, last.countedAt, m[1] - counted));
          }
        }
        default -> settlements.add(Settlement.release(last.request));
      }
    }
  }
}
