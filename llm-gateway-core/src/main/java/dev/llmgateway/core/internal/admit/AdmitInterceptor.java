package dev.llmgateway.core.internal.admit;

import dev.llmgateway.CallResult;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.AttemptGate;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.core.limit.Acquisition;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.LimitSource;
import dev.llmgateway.core.limit.LimitStoreException;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.limit.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The admit step's rate limits, right after access: finds the limits that apply to the call
 * (configured, and its principal's from the {@link LimitSource}), takes them from the store in one
 * {@code acquire} — a request for each request limit, the estimated input tokens for each token
 * limit, a slot for each concurrency limit — and registers the call's {@link Admission}: its end
 * hook settles the tokens to the call's actual usage and releases the slots, whatever ends the
 * call; its {@link AttemptGate} counts each attempt against the deployment limits. A refusal marks
 * the call {@link UsageRecord.Refusal#LIMIT} and throws a {@link RateLimitedException} naming the
 * limit and when to retry.
 *
 * <p>Every call is counted, unary, streamed or embedding; a call the cache answers counts as a
 * request (it was made), holds its slot while it runs, and its tokens settle to 0 (its record's
 * usage: no provider was paid). A call refused by a later step keeps its request counted and
 * settles its tokens to 0.
 *
 * <p>Thread-safe: the configuration is an immutable snapshot, compiled again only when the
 * limits change.
 */
public final class AdmitInterceptor implements Step {
  private final RateLimits limits;
  private final Clock clock;
  private final Set<String> providers;
  private volatile Compiled compiled;

  /**
   * The step over {@code limits}, on the gateway's {@code clock}.
   *
   * @param providers the gateway's provider names (a model named {@code provider/model} is counted
   *     as {@code model})
   */
  public AdmitInterceptor(RateLimits limits, Clock clock, Set<String> providers) {
    this.limits = limits;
    this.clock = clock;
    this.providers = Set.copyOf(providers);
    this.compiled = Compiled.of(limits.limits(), true);
  }

  /** The configured limits split by where they count: per call, or per attempt at a deployment. */
  /**
   * The limits split by where they count, each kind with its {@link Admission.Memo} (none for the
   * limits of one call's {@link LimitSource}).
   */
  private record Compiled(List<RateLimit> from, RateLimit[] call, RateLimit[] deployment,
      Admission.@Nullable Memo callMemo, Admission.@Nullable Memo deploymentMemo) {
    static Compiled of(List<RateLimit> limits, boolean memo) {
      List<RateLimit> call = new ArrayList<>();
      List<RateLimit> deployment = new ArrayList<>();
      for (RateLimit l : limits) {
        (l.scope() == Scope.DEPLOYMENT ? deployment : call).add(l);
      }
      return new Compiled(limits, call.toArray(new RateLimit[0]),
          deployment.toArray(new RateLimit[0]), memo ? new Admission.Memo(call.size()) : null,
          memo ? new Admission.Memo(deployment.size()) : null);
    }
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    Principal principal = call.principal();
    if (principal == null) {
      principal = Principal.ANONYMOUS;
    }
    Compiled c = compiled();
    LimitSource source = limits.source();
    if (source != LimitSource.NONE) {
      c = withSource(c, source, principal);
    }
    GatewayRequest request = chain.request();
    if (c.call.length == 0 && c.deployment.length == 0) {
      return chain.proceed(request);
    }
    Admission admission = new Admission(call, principal, request, model(request), limits,
        clock, c.deployment, c.deploymentMemo);
    LimitRequest[] taking = new LimitRequest[c.call.length];
    RateLimit[] applied = c.call; // every limit applies, as a rule: the configured array itself
    int n = 0;
    for (int i = 0; i < c.call.length; i++) {
      LimitRequest r = admission.requestFor(c.call[i], c.callMemo, i, null);
      if (r == null) {
        if (applied == c.call) {
          applied = Arrays.copyOf(c.call, c.call.length);
        }
        continue;
      }
      if (applied != c.call) { // the shared array is never written
        applied[n] = c.call[i];
      }
      taking[n++] = r;
    }
    if (n > 0) {
      List<LimitRequest> requests = Arrays.asList(n == taking.length ? taking
          : Arrays.copyOf(taking, n));
      if (n < applied.length) {
        applied = Arrays.copyOf(applied, n);
      }
      Acquisition acquired;
      try {
        acquired = limits.store().acquire(requests, clock.millis());
      } catch (RuntimeException e) {
        call.refuse(UsageRecord.Refusal.LIMIT); // not admitted: refused, not failed
        throw storeFailed(e);
      }
      if (!acquired.isAdmitted()) {
        int i = acquired.refusedIndex();
        call.refuse(UsageRecord.Refusal.LIMIT);
        throw refusal(applied[i], requests.get(i), acquired.retryAfter());
      }
      admission.admitted(requests, applied, acquired);
    }
    call.onEnd(admission);
    if (c.deployment.length > 0) {
      AttemptGate.add(call, admission);
    }
    return chain.proceed(request);
  }

  /**
   * What a failing store's throw reaches the caller as: its own {@link LimitStoreException} as
   * it is, anything else as one without the store's message (it may quote keys or ids).
   */
  static LimitStoreException storeFailed(RuntimeException e) {
    if (e instanceof LimitStoreException typed) {
      return typed;
    }
    return new LimitStoreException("the rate limit store failed (" + e.getClass().getName()
        + "); the call was not admitted", null);
  }

  private Compiled compiled() {
    List<RateLimit> now = limits.limits();
    Compiled c = compiled;
    if (c.from != now) {
      c = Compiled.of(now, true);
      compiled = c;
    }
    return c;
  }

  /** The configured limits with the source's: one of a configured name replaces it. */
  private static Compiled withSource(Compiled c, LimitSource source, Principal principal) {
    List<RateLimit> own;
    try {
      own = source.limitsFor(principal);
    } catch (RuntimeException e) {
      throw new GatewayInternalException("the rate limit source failed ("
          + e.getClass().getName() + "); the call was not admitted");
    }
    if (own == null || own.isEmpty()) {
      return c;
    }
    Set<String> names = new HashSet<>();
    for (RateLimit l : own) {
      names.add(l.name());
    }
    List<RateLimit> merged = new ArrayList<>(c.from.size() + own.size());
    for (RateLimit l : c.from) {
      if (!names.contains(l.name())) {
        merged.add(l);
      }
    }
    merged.addAll(own);
    return Compiled.of(merged, false);
  }

  /** The requested model, without a configured provider's {@code provider/} prefix. */
  private String model(GatewayRequest request) {
    String model = request.model();
    int slash = model.indexOf('/');
    return slash > 0 && providers.contains(model.substring(0, slash))
        ? model.substring(slash + 1) : model;
  }

  /**
   * The refusal of {@code limit}: its name and scope, the id it counted under unless that is an
   * end user's, and when to retry.
   */
  static RateLimitedException refusal(RateLimit limit, LimitRequest request,
      @Nullable Duration retryAfter) {
    String whose = whose(limit, request);
    String message;
    if (limit.kind() == RateLimit.Kind.TOKENS && request.amount() > request.limit()) {
      message = "the request's estimated " + request.amount() + " input tokens exceed rate limit '"
          + limit.name() + "' (" + limit.describe() + ") on their own" + whose
          + ": shorten the request or raise the limit";
    } else if (limit.kind() == RateLimit.Kind.CONCURRENT) {
      message = "rate limit '" + limit.name() + "' (" + limit.describe() + ") reached" + whose
          + ": retry when one of the calls in flight ends";
    } else {
      message = "rate limit '" + limit.name() + "' (" + limit.describe() + ") reached" + whose
          + (retryAfter == null ? "" : ": retry after " + readable(retryAfter));
    }
    return new RateLimitedException(message, retryAfter, limit.name());
  }

  private static String whose(RateLimit limit, LimitRequest request) {
    Scope scope = limit.scope();
    if (scope == Scope.GLOBAL || limit.id() != null) {
      return "";
    }
    if (scope == Scope.USER) {
      return " for this user"; // never the raw end-user id
    }
    return " for " + scope.label() + " '" + request.counter().id() + "'";
  }

  static String readable(Duration d) {
    long millis = d.toMillis();
    return millis < 10_000 ? millis + " ms" : (millis + 999) / 1_000 + " s";
  }
}
