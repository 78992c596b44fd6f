package dev.llmgateway.core.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.Principal;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.internal.call.AccessFilter;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Selected;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.spi.AttemptContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The cache step, between select and plan: the response cache, an exact-match Caffeine cache of answers (see {@link ResponseCache}
 * for what it promises, {@link CacheKey} for what the key holds).
 *
 * <p>Unary chat and embedding calls: a hit answers the call. A miss puts a pending answer (a
 * {@code Flight}) under the key in a map of calls in flight ({@code putIfAbsent}); the caller
 * that placed it (the leader) runs the rest of the chain on its own thread, stores the answer in
 * the cache, then ends the flight with it. Identical calls arriving meanwhile find the flight and
 * wait for it, each bounded by its own deadline, without holding any lock (other keys go on), and
 * are reported as cache hits: they made no provider call. Keeping flights out of the Caffeine
 * cache makes a miss one cache write, not two (an async cache rewrites the entry when its future
 * completes): under 64 concurrent callers, Caffeine's eviction lock was the gateway's most
 * contended lock.
 *
 * <p>If the leader fails, its flight is removed first and then ended, and the next call tries
 * again: errors are never cached. A failure that belongs to the request ({@link SharedFailure}
 * says which) ends the flight with it, and the waiters throw the leader's typed exception. One that
 * belongs to the leader's own call (its deadline, its interruption) ends the flight with nothing to
 * share, and each waiter goes round again: it looks the key up and either leads a new flight (its
 * own attempt, bounded by its own deadline) or waits for the one another waiter now leads.
 *
 * <p>Streamed calls: a hit returns the cached answer, which the gateway replays as events. A miss
 * is not coalesced; its stream is decorated by a {@link CachingStream} that stores the answer when
 * the stream completes.
 *
 * <p>What is stored is any answer the chain returned successfully: a chat answer whatever its
 * finish reason (the same request with the same output limit is cut at the same length), an
 * embedding response, or a stream that ended with {@link dev.llmgateway.ChatEvent.Completed}. The
 * answer is stored as the chain returned it (a miss copies nothing); what a hit returns is a copy
 * that says {@code cacheHit} and carries no usage, cost or attempts, so a replayed stream's usage
 * report and the interceptors before this step see a hit as the caller will.
 *
 * <p>Thread-safe. Cache maintenance (expiry, eviction) runs on {@link
 * ResponseCache#maintenance()}, by default the writing caller's thread. A cache of 512 entries
 * or more is split by key hash into up to {@value #MAX_STRIPES} Caffeine caches ({@link
 * #stripesFor}), each bounding its share of the entries: eviction is per stripe, so the size bound
 * holds in sum and which entry goes first is decided within its stripe.
 */
public final class CacheInterceptor implements Step {
  static final int MAX_STRIPES = 16;
  static final int ENTRIES_PER_STRIPE = 256;
  private static final String HIT = "cache hit";
  private static final String JOINED = "cache hit (waited for an identical call in flight)";
  private static final String JOINED_FAILED = "waited for an identical call in flight";

  private final ResponseCache settings;
  /**
   * The entries, split into independent Caffeine caches by key hash (a power of two of them, each
   * a share of the maximum size), so that many callers missing at once spread their writes and
   * evictions over several eviction locks and write buffers instead of queueing on one.
   */
  private final Cache<CacheKey, CallResult>[] stripes;
  private final int stripeMask;
  /** Unary calls in flight per key: their leaders' pending answers. */
  private final ConcurrentHashMap<CacheKey, Flight> flights = new ConcurrentHashMap<>();

  public CacheInterceptor(ResponseCache settings) {
    this.settings = settings;
    LongSupplier ticker = settings.ticker();
    int n = stripesFor(settings.maximumSize());
    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
    Cache<CacheKey, CallResult>[] made = new Cache[n];
    for (int i = 0; i < n; i++) {
      made[i] = Caffeine.newBuilder()
          .maximumSize(settings.maximumSize() / n)
          .expireAfterWrite(settings.ttl())
          .ticker(ticker::getAsLong)
          .executor(settings.maintenance())
          .build();
    }
    this.stripes = made;
    this.stripeMask = n - 1;
  }

  /**
   * How many stripes a cache of {@code maximumSize} entries gets: one per {@value
   * #ENTRIES_PER_STRIPE} entries, a power of two, at most {@value #MAX_STRIPES}; a small cache is
   * one stripe, so that its size bound is exact.
   */
  static int stripesFor(long maximumSize) {
    long wanted = Math.min(MAX_STRIPES, maximumSize / ENTRIES_PER_STRIPE);
    return wanted <= 1 ? 1 : Integer.highestOneBit((int) wanted);
  }

  private Cache<CacheKey, CallResult> cache(CacheKey key) {
    int h = key.hashCode();
    return stripes[(h ^ (h >>> 16)) & stripeMask];
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    GatewayRequest request = chain.request();
    CallKind kind = call.kind();
    if (kind == CallKind.EMBED && !settings.embeddings()) {
      return chain.proceed(request);
    }
    Principal principal = call.principal();
    int scopeKind;
    @Nullable String scope;
    switch (settings.scope()) {
      case CALLER:
        scope = principal == null ? null : principal.userId();
        scopeKind = CacheKey.USER;
        if (scope == null && principal != null) {
          scope = principal.keyId();
          scopeKind = CacheKey.KEY;
        }
        break;
      case TEAM:
        scope = principal == null ? null : principal.teamId();
        scopeKind = CacheKey.TEAM;
        break;
      default:
        scope = null;
        scopeKind = CacheKey.SHARED;
    }
    if (scope == null && scopeKind != CacheKey.SHARED) {
      return chain.proceed(request); // no identity to scope the entry by: not cached
    }
    Selected selection = call.tag(Selected.class);
    if (selection == null) {
      throw new IllegalStateException("the cache step runs after the select step");
    }
    AccessFilter access = call.tag(AccessFilter.class);
    if (access != null && access.deniesAny(selection.reachable())) {
      return chain.proceed(request); // an answer shared here may come from a deployment it is denied
    }
    CacheKey key = CacheKey.of(scopeKind, scope, selection.routeKey(), request);
    boolean bypass = request.options().cacheBypass();
    if (kind == CallKind.STREAM) {
      return stream(chain, request, call, selection, key, bypass);
    }
    if (bypass) {
      return lead(chain, request, call, key, null);
    }
    Cache<CacheKey, CallResult> cache = cache(key);
    while (true) {
      CallResult cached = cache.getIfPresent(key);
      if (cached != null) {
        hit(call, selection, HIT);
        return asHit(cached);
      }
      Flight mine = new Flight();
      Flight found = flights.putIfAbsent(key, mine);
      if (found == null) {
        cached = cache.getIfPresent(key); // a leader may have stored it since the first look
        if (cached != null) {
          flights.remove(key, mine);
          mine.complete(cached);
          hit(call, selection, HIT);
          return asHit(cached);
        }
        return lead(chain, request, call, key, mine);
      }
      CallResult shared = join(found, call, selection);
      if (shared != null) {
        return shared;
      }
      // the leader had nothing to share: go round, to lead or to wait for another waiter's lead
    }
  }

  /**
   * Runs the rest of the chain and stores its answer: by completing the leader's {@code flight},
   * or, for a call that bypassed the lookup ({@code flight} null), by replacing the entry.
   */
  private CallResult lead(Chain chain, GatewayRequest request, Call call, CacheKey key,
      @Nullable Flight flight) {
    CallResult result;
    try {
      result = chain.proceed(request);
    } catch (Throwable t) {
      if (flight != null) {
        flights.remove(key, flight);
        flight.fail(SharedFailure.of(t, call));
      }
      throw t;
    }
    CallResult stored = storable(result);
    if (stored != null) {
      cache(key).put(key, stored); // before the flight ends, so a newcomer finds one or the other
    }
    if (flight != null) {
      flights.remove(key, flight);
      if (stored != null) {
        flight.complete(stored);
      } else {
        flight.fail(null); // not an answer to share: the waiters go round again
      }
    }
    return result;
  }

  /**
   * The answer of a hit or of the leader this call waited for; null when the leader had nothing to
   * share (no answer, or a failure of its own), so that the caller goes round again.
   *
   * @throws GatewayException the leader's failure that belongs to the request, or a timeout when
   *     this call's own deadline ran out, or an internal failure when its thread was interrupted
   */
  private @Nullable CallResult join(Flight future, Call call,
      Selected selection) {
    boolean waited = !future.isDone();
    CallResult value;
    try {
      value = waited ? await(future, call) : future.getNow(null);
    } catch (RuntimeException e) {
      call.tag(CacheOutcome.class, new CacheOutcome(false, decision(selection, JOINED_FAILED)));
      throw e;
    }
    if (value == null) {
      GatewayException error = future.error;
      if (error != null) {
        call.tag(CacheOutcome.class, new CacheOutcome(false, decision(selection, JOINED_FAILED)));
        throw error;
      }
      return null;
    }
    hit(call, selection, waited ? JOINED : HIT);
    return asHit(value);
  }

  private static @Nullable CallResult await(CompletableFuture<CallResult> future,
      Call call) {
    long deadline = call.deadlineNanos();
    try {
      if (deadline == AttemptContext.NO_DEADLINE) {
        return future.get();
      }
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new GatewayTimeoutException(GatewayTimeoutException.Kind.TOTAL,
          Duration.ofNanos(deadline - call.startNanos()), ErrorDetails.NONE, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GatewayInternalException("interrupted while waiting for an identical call");
    } catch (ExecutionException e) {
      throw new GatewayInternalException("an identical call in flight failed",
          ErrorDetails.NONE, e.getCause());
    }
  }

  private CallResult stream(Chain chain, GatewayRequest request, Call call,
      Selected selection, CacheKey key, boolean bypass) {
    if (!bypass) {
      CallResult value = cache(key).getIfPresent(key);
      if (value instanceof ChatResponse) {
        hit(call, selection, HIT);
        return asHit(value);
      }
    }
    CallResult result = chain.proceed(request);
    if (result instanceof ChatStream s) {
      return new CachingStream(s, answer -> store(key, answer, bypass));
    }
    if (result instanceof ChatResponse answer) {
      store(key, answer, bypass);
    }
    return result;
  }

  /** Stores a streamed answer: the first to complete fills the entry; a bypass replaces it. */
  private void store(CacheKey key, ChatResponse answer, boolean replace) {
    if (replace) {
      cache(key).put(key, answer);
    } else {
      cache(key).asMap().putIfAbsent(key, answer);
    }
  }

  /**
   * What is stored of a result: the answer as the chain returned it (a miss copies nothing; a hit
   * gets its {@linkplain #asHit copy}); null for a result that is not an answer. Immutable, so
   * sharing it between the leader's caller and the cache is safe.
   */
  private static @Nullable CallResult storable(CallResult result) {
    return result instanceof ChatResponse || result instanceof EmbeddingResponse ? result : null;
  }

  /** The copy of a stored answer that a hit gets: a cache hit, with no usage, cost or attempts. */
  private static CallResult asHit(CallResult stored) {
    if (stored instanceof ChatResponse r) {
      return r.toBuilder().cacheHit(true).usage(Usage.ZERO).cost(BigDecimal.ZERO)
          .attempts(List.of()).build();
    }
    EmbeddingResponse e = (EmbeddingResponse) stored;
    return e.withStory(e.callId(), List.of(), e.latency(), Usage.ZERO, BigDecimal.ZERO, true,
        e.routing());
  }

  private static void hit(Call call, Selected selection, String step) {
    call.tag(CacheOutcome.class, new CacheOutcome(true, decision(selection, step)));
  }

  private static RoutingDecision decision(Selected selection, String step) {
    List<String> path = new ArrayList<>(selection.path().size() + 1);
    path.addAll(selection.path());
    path.add(step);
    return new RoutingDecision(path, selection.variant(), List.of(), List.of(),
        selection.downgraded());
  }

  /**
   * A leader's pending answer. A leader with no answer to share removes it from the flights, then
   * completes it with null, and beside it the failure its waiters share, if any.
   */
  private static final class Flight extends CompletableFuture<CallResult> {
    volatile @Nullable GatewayException error;

    /** Ends the flight without an answer: with a failure to share, or with nothing (null). */
    void fail(@Nullable GatewayException shared) {
      this.error = shared;
      complete(null);
    }
  }
}
