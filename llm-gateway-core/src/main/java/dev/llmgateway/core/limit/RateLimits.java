package dev.llmgateway.core.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A gateway's rate limits ({@code GatewayBuilder.rateLimits(...)}): the configured {@link
 * RateLimit}s, the {@link LimitStore} that counts them, an optional {@link LimitSource} of
 * per-tenant limits and the {@link TokenCounter} of token limits. Every limit that applies to a
 * call must admit it ("combinable": a team's RPM, its key's TPM and the org's concurrency all at
 * once); a limit applies when the call's principal has an id for its scope (a per-team limit
 * passes calls without a team) and, for a fixed id, when that id is the principal's.
 *
 * <pre>{@code
 * RateLimits limits = RateLimits.of(
 *     RateLimit.requestsPerMinute(600).perTeam(),
 *     RateLimit.tokensPerMinute(200_000).perOrg(),
 *     RateLimit.concurrent(8).perKey(),
 *     RateLimit.requestsPerMinute(50).forDeployment("openai/gpt-4o"));
 * limits.set(RateLimit.requestsPerMinute(1_200).perTeam()); // at run time: replaces team-rpm
 * }</pre>
 *
 * <p><b>Changed at run time.</b> {@link #set(RateLimit)} and {@link #remove(String)} publish a new
 * immutable list; every call that starts after they return sees it (calls read the list once,
 * without a lock). Counts stay with a limit's name: a limit set with a new value applies it to the
 * counts so far; one set with a new window starts its counts afresh.
 *
 * <p>Gateways built with the same {@code RateLimits} (and those derived with {@code
 * Gateway.newBuilder()}) count together. Thread-safe.
 */
public final class RateLimits {
  /** The default margin past a call's deadline before its slot's lease ends: one minute. */
  public static final Duration DEFAULT_LEASE_MARGIN = Duration.ofMinutes(1);
  /** The default lease of a slot whose call has no deadline (a stream, by default): one hour. */
  public static final Duration DEFAULT_MAX_LEASE = Duration.ofHours(1);

  private volatile List<RateLimit> limits;
  private final LimitStore store;
  private final LimitSource source;
  private final TokenCounter tokenCounter;
  private final Duration leaseMargin;
  private final Duration maxLease;

  private RateLimits(Builder b) {
    this.limits = List.copyOf(b.limits.values());
    this.store = b.store != null ? b.store : new InMemoryLimitStore();
    this.source = b.source;
    this.tokenCounter = b.tokenCounter;
    this.leaseMargin = b.leaseMargin;
    this.maxLease = b.maxLease;
  }

  /**
   * These limits, counted in a new {@link InMemoryLimitStore}.
   *
   * @throws IllegalArgumentException when two limits have one name
   */
  public static RateLimits of(RateLimit... limits) {
    Builder b = builder();
    Arrays.stream(limits).forEach(b::limit);
    return b.build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configured limits now, in order (an immutable list, the same one until changed). */
  public List<RateLimit> limits() {
    return limits;
  }

  /** The configured limit of this name, or null. */
  public @Nullable RateLimit limit(String name) {
    for (RateLimit l : limits) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    return null;
  }

  /**
   * Adds the limit, or replaces the configured one of its name; calls that start after this
   * returns are counted by it.
   */
  public synchronized void set(RateLimit limit) {
    Objects.requireNonNull(limit, "limit");
    List<RateLimit> next = new ArrayList<>(limits.size() + 1);
    boolean replaced = false;
    for (RateLimit l : limits) {
      if (l.name().equals(limit.name())) {
        next.add(limit);
        replaced = true;
      } else {
        next.add(l);
      }
    }
    if (!replaced) {
      next.add(limit);
    }
    limits = List.copyOf(next);
  }

  /**
   * Removes the configured limit of this name; calls that start after this returns are not
   * counted by it (calls admitted before still give back their slots).
   *
   * @return whether there was one
   */
  public synchronized boolean remove(String name) {
    List<RateLimit> next = new ArrayList<>(limits);
    boolean removed = next.removeIf(l -> l.name().equals(name));
    if (removed) {
      limits = List.copyOf(next);
    }
    return removed;
  }

  /** The store that counts. */
  public LimitStore store() {
    return store;
  }

  /** The per-tenant source ({@link LimitSource#NONE} when none was set). */
  public LimitSource source() {
    return source;
  }

  /** What counts a request's tokens. */
  public TokenCounter tokenCounter() {
    return tokenCounter;
  }

  /** How long past a call's deadline its slots' leases last. */
  public Duration leaseMargin() {
    return leaseMargin;
  }

  /** The lease of a slot whose call has no deadline. */
  public Duration maxLease() {
    return maxLease;
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    limits.forEach(l -> names.add(l.name()));
    return "RateLimits[" + names + ", store=" + store.getClass().getSimpleName()
        + (source == LimitSource.NONE ? "" : ", source") + "]";
  }

  /** Builds {@link RateLimits}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, RateLimit> limits = new LinkedHashMap<>();
    private @Nullable LimitStore store;
    private LimitSource source = LimitSource.NONE;
    private TokenCounter tokenCounter = TokenCounter.standard();
    private Duration leaseMargin = DEFAULT_LEASE_MARGIN;
    private Duration maxLease = DEFAULT_MAX_LEASE;

    private Builder() {}

    /**
     * Adds a limit.
     *
     * @throws IllegalArgumentException when one of its name was added before
     */
    public Builder limit(RateLimit limit) {
      Objects.requireNonNull(limit, "limit");
      if (limits.putIfAbsent(limit.name(), limit) != null) {
        throw new IllegalArgumentException("two limits are named '" + limit.name()
            + "': give one another name with .named(...)");
      }
      return this;
    }

    /** The store to count in (default: a new {@link InMemoryLimitStore}). */
    public Builder store(LimitStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Where per-tenant limits come from (default: none). */
    public Builder source(LimitSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** What counts a request's input tokens (default: {@link TokenCounter#standard()}). */
    public Builder tokenCounter(TokenCounter counter) {
      this.tokenCounter = Objects.requireNonNull(counter, "counter");
      return this;
    }

    /**
     * How long past its call's deadline a slot's lease lasts (default one minute): the slot of a
     * call whose process died is free again then.
     */
    public Builder leaseMargin(Duration margin) {
      this.leaseMargin = positive("leaseMargin", margin);
      return this;
    }

    /**
     * The lease of a slot whose call has no deadline (a stream without a total timeout; default
     * one hour): a call still running then no longer holds its slot.
     */
    public Builder maxLease(Duration lease) {
      this.maxLease = positive("maxLease", lease);
      return this;
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    /** The limits; the builder may be used again. */
    public RateLimits build() {
      return new RateLimits(this);
    }
  }
}
