package dev.llmgateway.core.cache;

import dev.llmgateway.core.internal.call.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;

/**
 * Settings of the gateway's response cache ({@link
 * dev.llmgateway.core.GatewayBuilder#cache(ResponseCache)}): an in-memory, exact-match cache of
 * chat answers and embeddings, bounded by entry count and time-to-live. It runs after the steps
 * that authenticate and admit a call (and the interceptors placed before routing) and after routing
 * has selected where the call goes (its key includes that), before the plan and the providers, so
 * a hit has passed every check a call passes.
 *
 * <ul>
 *   <li>The key is the normalised request (model or alias, messages, tools, tool choice, response
 *       format, reasoning, sampling and output settings, stop sequences, seed, provider extras;
 *       not deadlines, tags, bypass, extra headers, metadata or the prompt cache key) plus where
 *       routing sends it: the candidate list reached, the A/B split and variant that chose it, and
 *       whether a budget downgrade redirected it (so split arms, a budget downgrade or a routing
 *       rule's other target never share answers); optionally scoped per caller or per team. Keys
 *       are compared part by part in full (the variant as its name, not its hash). A call with no
 *       identity to scope by is not cached.
 *   <li>Any answer the chain returned successfully is stored, whatever its finish reason (the same
 *       request with the same output limit is cut at the same length); errors are never cached.
 *   <li>Identical unary misses in flight at the same time make one provider call; the others wait
 *       for it (each bounded by its own deadline, without blocking other keys) and get its answer,
 *       reported as a cache hit since they made no provider call.
 *   <li>When that call fails, its waiters share the failure only if it belongs to the request: an
 *       invalid request (context length, unknown model, missing capability), content filtered, or
 *       what the providers answered (unavailable or overloaded, rate limited, quota exhausted, an
 *       attempt, first-token or idle timeout, every candidate failing with those). A failure that
 *       belongs to the leading caller is not shared: its total deadline running out, its thread
 *       interrupted, any failure once its own deadline had passed, access, authentication, budget
 *       and policy failures (they depend on who calls), internal errors. Each waiter then makes its
 *       own attempt, bounded by its own deadline (one leads, the others wait for it again), so a
 *       caller never gets another caller's timeout or cancellation.
 *   <li>A streamed miss is not shared: two identical streams in flight each call the provider (a
 *       stream's caller wants its first token now); the first to complete fills the cache. A
 *       stream that fails or is cancelled stores nothing. A hit on a streamed call replays the
 *       cached answer as events; a streamed answer also answers unary calls, and the other way
 *       round.
 *   <li>{@link dev.llmgateway.RequestOptions#cacheBypass()} skips the lookup; the fresh answer
 *       still refreshes the entry.
 *   <li>A hit is reported ({@code cacheHit} on the response and usage record, {@code "cache hit"}
 *       as the last step of its routing path) and metered with no tokens, zero cost and no
 *       attempts; it stays out of the A/B variants' latency figures.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ResponseCache {
  private final long maximumSize;
  private final Duration ttl;
  private final Scope scope;
  private final LongSupplier ticker;
  private final boolean embeddings;
  private final Executor maintenance;

  /** Who may share an entry. */
  public enum Scope {
    /** Every caller shares the cache. */
    SHARED,
    /**
     * Entries are per authenticated user (per key id when the principal has no user); calls with
     * neither are not cached.
     */
    CALLER,
    /** Entries are per team; calls with no team are not cached. */
    TEAM
  }

  private ResponseCache(Builder b) {
    this.maximumSize = b.maximumSize;
    this.ttl = b.ttl;
    this.scope = b.scope;
    this.ticker = b.ticker;
    this.embeddings = b.embeddings;
    this.maintenance = b.maintenance;
  }

  /**
   * A builder with defaults: 10,000 entries, 10 minutes, shared, embeddings cached too, maintenance
   * on the writing thread.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static ResponseCache defaults() {
    return builder().build();
  }

  /** The most entries kept. */
  public long maximumSize() {
    return maximumSize;
  }

  /** How long an entry lives after it was written. */
  public Duration ttl() {
    return ttl;
  }

  /** Who shares entries. */
  public Scope scope() {
    return scope;
  }

  /** The nanosecond time source of expiry. */
  public LongSupplier ticker() {
    return ticker;
  }

  /** Whether embeddings are cached too. */
  public boolean embeddings() {
    return embeddings;
  }

  /** Where the cache's maintenance (eviction, expiry) runs. */
  public Executor maintenance() {
    return maintenance;
  }

  @Override
  public String toString() {
    return "ResponseCache[maximumSize=" + maximumSize + ", ttl=" + ttl + ", scope=" + scope
        + ", embeddings=" + embeddings + "]";
  }

  /** Builds {@link ResponseCache} settings. Not thread-safe. */
  public static final class Builder {
    private long maximumSize = 10_000;
    private Duration ttl = Duration.ofMinutes(10);
    private Scope scope = Scope.SHARED;
    private LongSupplier ticker = System::nanoTime;
    private boolean embeddings = true;
    private Executor maintenance = Runnable::run;

    private Builder() {}

    /** The most entries kept (least recently and least often used go first). */
    public Builder maximumSize(long entries) {
      if (entries <= 0) {
        throw new IllegalArgumentException("maximumSize must be positive, was " + entries);
      }
      this.maximumSize = entries;
      return this;
    }

    /** How long an entry lives after it was written. */
    public Builder ttl(Duration ttl) {
      this.ttl = Checks.positive("ttl", ttl);
      return this;
    }

    /** Who shares entries. */
    public Builder scope(Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** The nanosecond time source of expiry (inject a manual one in tests). */
    public Builder ticker(LongSupplier nanos) {
      this.ticker = Objects.requireNonNull(nanos, "nanos");
      return this;
    }

    /** Whether embeddings are cached too. */
    public Builder embeddings(boolean embeddings) {
      this.embeddings = embeddings;
      return this;
    }

    /**
     * Where the cache's maintenance runs: evicting entries past the maximum size and dropping
     * expired ones. By default on the thread of the call that wrote the entry, right after the
     * write, if no other thread is doing it at that moment (Caffeine's {@code tryLock}): measured
     * under 16 and 64 callers on two cores, handing it to {@link ForkJoinPool#commonPool()}
     * (Caffeine's own default) cost a pool wake-up per miss and no less CPU, and callers still
     * did the work themselves whenever the pool fell behind. A cache of 512 entries or more is
     * split into stripes by key hash, each with its own eviction lock, so many callers missing at
     * once seldom meet on one (the load runner's lock profile at 64 callers records no wait on
     * it). Pass an executor to run maintenance off the callers' threads; until it has run, the
     * cache may hold a few entries over its maximum size, and an expired entry is never returned
     * either way.
     */
    public Builder maintenance(Executor executor) {
      this.maintenance = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The settings. */
    public ResponseCache build() {
      return new ResponseCache(this);
    }
  }
}
