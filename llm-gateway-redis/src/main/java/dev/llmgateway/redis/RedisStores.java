package dev.llmgateway.redis;

import dev.llmgateway.redis.internal.Availability;
import dev.llmgateway.redis.internal.Keys;
import dev.llmgateway.redis.internal.Reconciler;
import dev.llmgateway.redis.internal.RedisBudgets;
import dev.llmgateway.redis.internal.RedisLimits;
import dev.llmgateway.redis.internal.ScriptRunner;
import dev.llmgateway.redis.internal.Scripts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Rate limits and budgets shared by every JVM that talks to one Redis (stand-alone, Sentinel or
 * Redis Cluster): a {@link RedisLimitStore} and a {@link RedisBudgetStore} over one Lettuce
 * connection, with one failure policy and one {@link #health()}.
 *
 * <pre>{@code
 * RedisStores redis = RedisStores.builder()
 *     .uri("redis://redis.internal:6379")          // or .client, .cluster, .connection
 *     .failurePolicy(FailurePolicy.failOpen(4))    // default: failClosed()
 *     .build();
 * Gateway gateway = Gateway.builder()
 *     ...
 *     .rateLimits(RateLimits.builder().limit(RateLimit.requestsPerMinute(600).perTeam())
 *         .store(redis.limitStore()).build())
 *     .budgets(Budgets.builder().budget(Budget.perId("team-monthly", Scope.TEAM, "100.00"))
 *         .store(redis.budgetStore()).build())
 *     .build();
 * }</pre>
 *
 * <h2>How they count</h2>
 *
 * Every admission step is one round trip: one Lua script per tenant (the caller's org; counters of
 * no org share one), sent together, each atomic on the Redis node that holds its tenant's keys
 * (every key of a script shares the tenant's hash tag, {@code {<prefix>:t:<tenant>}}). Scripts go
 * by {@code EVALSHA} and are sent again with {@code EVAL} when a server answers {@code NOSCRIPT}
 * (after a restart or a failover). Money is integer nano-dollars added by Redis ({@code HINCRBY}),
 * compared in Lua below 2<sup>53</sup> (about $9 million per budget counter; a larger cap or amount
 * is refused with a {@link dev.llmgateway.core.budget.BudgetStoreException} saying so). Keys
 * expire by themselves: a window a second after it stops counting, a slot set after its last
 * lease, a budget counter {@link Builder#keepEndedPeriods(Duration)} after its period, a settled
 * call's mark after {@link Builder#settledIdMemory(Duration)} or its lease. An end user's id is
 * never written: its SHA-256 is.
 *
 * <h2>The worst case across instances</h2>
 *
 * <ul>
 *   <li><b>Rate limits, while Redis answers</b>: exactly the bound of {@code RateLimit} (in every
 *       window of length {@code W}, admitted at most the limit), across all JVMs, on the server's
 *       clock ({@link TimeSource#SERVER}, the default) whatever the JVMs' clocks say. On {@link
 *       TimeSource#GATEWAY}, JVM clocks that disagree by {@code s} admit at most what fits a
 *       window of {@code W + s}. A counter moved to another node (a failover to a replica whose
 *       clock runs ahead) likewise loses at most the difference.
 *   <li><b>Budgets, while Redis answers</b>: exactly the bounds of {@code Budgets} (no overspend
 *       when calls cost at most what they reserved; else at most {@code (k - 1)} times what is
 *       reserved at once, across all JVMs). Leases end on the server's clock (or the gateway's, on
 *       {@code GATEWAY}). A settle is charged once per call id, however often it is tried.
 *   <li><b>While Redis fails, failing closed</b>: nothing more is admitted; calls in flight settle
 *       when it answers again.
 *   <li><b>While Redis fails, failing open</b> with {@code R} expected replicas and {@code J} JVMs
 *       running: each JVM admits up to {@code 1/R} of each rate limit on its own, so up to {@code
 *       J/R} of the limit in all ({@code J <= R}: within the limit); each budget counter allows
 *       each JVM {@code 1/R} of its room as that JVM last read it, so the outage adds at most that
 *       room ({@code J <= R}) — or, for a counter a JVM never read, up to {@code J/R} of its whole
 *       limit. What was spent during the outage is charged in Redis when it answers again, once
 *       per call.
 * </ul>
 *
 * <h2>Failures</h2>
 *
 * A command waits at most the command timeout ({@link Builder#commandTimeout(Duration)}, 500 ms by
 * default); a client made here also refuses commands at once while disconnected and keeps at most
 * {@link RedisClients#DEFAULT_QUEUE_SIZE} waiting ({@link RedisClients}: set the same on a client
 * of your own). The first failure starts an outage (one WARN on logger {@code dev.llmgateway.redis});
 * until Redis answers again, one call per {@link Builder#retryInterval(Duration)} tries it and the
 * others follow the {@link FailurePolicy} at once, so an admission waits at most one command
 * timeout. Lettuce reconnects by itself; the first call that succeeds ends the outage, and writes
 * kept meanwhile are replayed, a few after each successful call ({@link #reconcile()} replays all
 * at once).
 *
 * <p>Thread-safe. {@link #close()} writes what an outage left, if Redis answers, then closes the
 * connection this made (and the client, for {@link Builder#uri(String)}), never one you passed.
 */
public final class RedisStores implements AutoCloseable {
  /** The default key prefix: {@code llmgw}. */
  public static final String DEFAULT_KEY_PREFIX = "llmgw";
  /** The default of {@link Builder#retryInterval(Duration)}: one second. */
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);
  /** The default of {@link Builder#settledIdMemory(Duration)}: one hour. */
  public static final Duration DEFAULT_SETTLED_ID_MEMORY = Duration.ofHours(1);
  /**
   * The default of {@link Builder#keepEndedPeriods(Duration)}: 35 days, so last month's counters
   * are there all through this month.
   */
  public static final Duration DEFAULT_KEEP_ENDED_PERIODS = Duration.ofDays(35);
  /** The default of {@link Builder#maxPending(int)}: 100,000 writes. */
  public static final int DEFAULT_MAX_PENDING = 100_000;
  /** How long building the stores waits for their scripts to load. */
  private static final Duration PRELOAD_WAIT = Duration.ofSeconds(10);
  /** Writes replayed after each successful call, while some wait. */
  static final int REPLAY_BATCH = 16;

  private final StatefulConnection<String, String> connection;
  private final @Nullable AutoCloseable owned;
  private final FailurePolicy policy;
  private final Availability availability;
  private final Reconciler reconciler;
  private final RedisLimitStore limitStore;
  private final RedisBudgetStore budgetStore;
  private final Keys keys;
  private final String prefix;

  private RedisStores(Builder b, StatefulConnection<String, String> connection,
      RedisClusterAsyncCommands<String, String> commands, @Nullable AutoCloseable owned) {
    this.connection = connection;
    this.owned = owned;
    this.policy = b.policy;
    this.keys = new Keys(b.prefix);
    this.prefix = b.prefix;
    this.availability = new Availability(b.retryInterval.toNanos(), b.ticker,
        policy.mode() == FailurePolicy.Mode.FAIL_OPEN ? "fail open (local limits)" : "fail closed");
    this.reconciler = new Reconciler(b.maxPending);
    ScriptRunner scripts = new ScriptRunner(commands, b.commandTimeout);
    boolean serverTime = b.timeSource == TimeSource.SERVER;
    this.limitStore = new RedisLimitStore(this, new RedisLimits(scripts, keys, serverTime));
    this.budgetStore = new RedisBudgetStore(this, new RedisBudgets(scripts, keys, serverTime,
        b.settledIdMemory, b.keepEndedPeriods));
    try {
      scripts.preload(PRELOAD_WAIT.compareTo(b.commandTimeout) > 0 ? PRELOAD_WAIT
          : b.commandTimeout, Scripts.LIMIT_ACQUIRE, Scripts.LIMIT_SETTLE,
          Scripts.BUDGET_BALANCES, Scripts.BUDGET_RESERVE, Scripts.BUDGET_SETTLE,
          Scripts.BUDGET_MARK);
    } catch (RuntimeException e) {
      Availability.LOG.warn("loading the stores' scripts into Redis failed ({}); they are sent"
          + " with their first use", Availability.describe(e));
    }
  }

  /** A builder: fail closed, 500 ms command timeout, server time, prefix {@code llmgw}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The rate-limit store: give it to {@code RateLimits.builder().store(...)}. */
  public RedisLimitStore limitStore() {
    return limitStore;
  }

  /** The budget store: give it to {@code Budgets.builder().store(...)}. */
  public RedisBudgetStore budgetStore() {
    return budgetStore;
  }

  /** Whether Redis answers, the mode the stores are in, and their counts. */
  public RedisHealth health() {
    boolean down = availability.isDown();
    long since = availability.downSinceMillis();
    RedisHealth.Mode mode = !down ? RedisHealth.Mode.NORMAL
        : policy.mode() == FailurePolicy.Mode.FAIL_OPEN ? RedisHealth.Mode.FAILING_OPEN
            : RedisHealth.Mode.FAILING_CLOSED;
    return RedisHealth.of(!down && connection.isOpen(), mode,
        since < 0 ? null : Instant.ofEpochMilli(since), availability.outages(),
        availability.failures(), availability.fallbacks(), availability.refusals(),
        reconciler.pending(), reconciler.replayed(), reconciler.dropped());
  }

  /**
   * Tries Redis now and writes everything kept during an outage (budget settlements, marks, slot
   * releases, token corrections); returns how many were written. Not needed in normal use: the
   * stores replay a few after each call that reached Redis.
   *
   * @return the writes replayed
   * @throws RedisUnavailableException if Redis failed (what was not written stays kept)
   */
  public int reconcile() {
    int done = 0;
    try {
      for (int n; (n = reconciler.drain(Integer.MAX_VALUE)) > 0; ) {
        done += n;
      }
    } catch (RedisException e) {
      availability.failed(e);
      throw new RedisUnavailableException("Redis failed while writing what was kept during an"
          + " outage (" + Availability.describe(e) + "); " + reconciler.pending()
          + " writes still wait", e);
    }
    if (done > 0) {
      availability.succeeded();
    }
    afterReconciled();
    return done;
  }

  /** The key layout (for tests). */
  Keys keys() {
    return keys;
  }

  FailurePolicy policy() {
    return policy;
  }

  Availability availability() {
    return availability;
  }

  Reconciler reconciler() {
    return reconciler;
  }

  /**
   * A store call reached Redis: ends an outage, and replays a batch of kept writes on this thread
   * (a failure there starts the next outage; it is not the caller's).
   */
  void succeeded() {
    availability.succeeded();
    if (!reconciler.isEmpty()) {
      try {
        reconciler.drain(REPLAY_BATCH);
      } catch (RedisException e) {
        availability.failed(e);
        return;
      }
      afterReconciled();
    }
  }

  private void afterReconciled() {
    if (reconciler.isEmpty() && !availability.isDown()) {
      budgetStore.outageReconciled();
    }
  }

  /**
   * Writes what is still kept from an outage, if Redis answers (what it cannot write is lost, and
   * logged), then closes the connection this made, and the client it made from a URI.
   */
  @Override
  public void close() {
    if (!reconciler.isEmpty()) {
      try {
        reconcile();
      } catch (RedisUnavailableException e) {
        Availability.LOG.warn("closing the Redis stores with {} writes Redis did not take; they"
            + " are lost", reconciler.pending());
      }
    }
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        Availability.LOG.debug("closing the Redis connection failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "RedisStores[prefix " + prefix + ", " + policy + ", " + health().mode() + "]";
  }

  /**
   * Settings of {@link RedisStores}: where Redis is (exactly one of the connection sources), how
   * keys are named, how long commands may take, which clock counts, what happens while Redis
   * fails. Not thread-safe; reusable.
   */
  public static final class Builder {
    private @Nullable String uri;
    private @Nullable RedisClient client;
    private @Nullable RedisClusterClient clusterClient;
    private @Nullable StatefulRedisConnection<String, String> connection;
    private @Nullable StatefulRedisClusterConnection<String, String> clusterConnection;
    private final List<String> sources = new ArrayList<>(1);
    private String prefix = DEFAULT_KEY_PREFIX;
    private Duration commandTimeout = RedisClients.DEFAULT_COMMAND_TIMEOUT;
    private TimeSource timeSource = TimeSource.SERVER;
    private FailurePolicy policy = FailurePolicy.failClosed();
    private Duration retryInterval = DEFAULT_RETRY_INTERVAL;
    private Duration settledIdMemory = DEFAULT_SETTLED_ID_MEMORY;
    private Duration keepEndedPeriods = DEFAULT_KEEP_ENDED_PERIODS;
    private int maxPending = DEFAULT_MAX_PENDING;
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /**
     * Redis at {@code uri} ({@code redis://host:6379}, {@code rediss://} for TLS, {@code
     * redis-sentinel://} for Sentinel): a client made here with {@link RedisClients}' fail-fast
     * options and this builder's command timeout, closed with the stores.
     *
     * @param uri a Lettuce Redis URI
     * @return this builder
     */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      sources.add("uri(...)");
      return this;
    }

    /**
     * Your client (TLS, credentials, Sentinel): the stores open one connection of it at {@link
     * #build()} and close it with themselves. Give it {@link RedisClients#failFast(Duration, int)}
     * options so that a down Redis refuses commands at once instead of buffering them.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(RedisClient client) {
      this.client = Objects.requireNonNull(client, "client");
      sources.add("client(...)");
      return this;
    }

    /**
     * Your Redis Cluster client: the stores open one connection of it at {@link #build()},
     * connected to every node at once ({@link RedisClients#connectEveryNode}), and close it with
     * themselves. Give it {@link RedisClients#failFastCluster(Duration, int)} options.
     *
     * @param client the cluster client
     * @return this builder
     */
    public Builder cluster(RedisClusterClient client) {
      this.clusterClient = Objects.requireNonNull(client, "client");
      sources.add("cluster(...)");
      return this;
    }

    /**
     * Your open connection (String keys and values): shared with your other uses, never closed by
     * the stores.
     *
     * @param connection the connection
     * @return this builder
     */
    public Builder connection(StatefulRedisConnection<String, String> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
      sources.add("connection(...)");
      return this;
    }

    /**
     * Your open cluster connection (String keys and values), never closed by the stores; connect
     * it to every node first ({@link RedisClients#connectEveryNode}) if it refuses commands while
     * disconnected.
     *
     * @param connection the cluster connection
     * @return this builder
     */
    public Builder connection(StatefulRedisClusterConnection<String, String> connection) {
      this.clusterConnection = Objects.requireNonNull(connection, "connection");
      sources.add("connection(cluster)");
      return this;
    }

    /**
     * What every key starts with (inside the hash tag: {@code {<prefix>:t:<tenant>}}); {@code
     * llmgw} by default. Gateways that share limits must use the same prefix; separate
     * environments on one Redis use separate ones.
     *
     * @param prefix 1 to 32 letters, digits, {@code .}, {@code _} or {@code -}
     * @return this builder
     * @throws IllegalArgumentException if it is not
     */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      boolean ok = !prefix.isEmpty() && prefix.length() <= 32;
      for (int i = 0; i < prefix.length() && ok; i++) {
        char c = prefix.charAt(i);
        ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
            || c == '_' || c == '-';
      }
      if (!ok) {
        throw new IllegalArgumentException("a key prefix must be 1 to 32 letters, digits, '.',"
            + " '_' or '-', was '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * The longest a store waits for one reply (every wait, whoever made the client; also the
     * client's own timeout for {@link #uri(String)}); 500 ms by default. An admission waits at
     * most this long when Redis hangs.
     *
     * @param timeout positive, at most a minute
     * @return this builder
     * @throws IllegalArgumentException if not
     */
    public Builder commandTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()
          || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("commandTimeout must be positive and at most a minute,"
            + " was " + timeout);
      }
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * The clock windows and leases count on: {@link TimeSource#SERVER} (the default) or {@link
     * TimeSource#GATEWAY}.
     *
     * @param source the clock
     * @return this builder
     */
    public Builder timeSource(TimeSource source) {
      this.timeSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * What happens while Redis fails: {@link FailurePolicy#failClosed()} (the default) or {@link
     * FailurePolicy#failOpen(int)}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder failurePolicy(FailurePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * While Redis fails, how often one call tries it again (the others follow the policy at once);
     * one second by default.
     *
     * @param interval zero or positive
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder retryInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("retryInterval must not be negative, was " + interval);
      }
      this.retryInterval = interval;
      return this;
    }

    /**
     * How long a settled call id is remembered at least (longer while the call's lease would have
     * lasted), so that a settle tried again — after a lost reply, or replayed after an outage — is
     * charged once; one hour by default. A settle whose first try timed out and that is replayed
     * later than this could be charged twice.
     *
     * @param memory positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder settledIdMemory(Duration memory) {
      this.settledIdMemory = positive("settledIdMemory", memory);
      return this;
    }

    /**
     * How long a budget counter's keys outlive its period, for reports and for calls that settle
     * after it; 35 days by default.
     *
     * @param keep positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder keepEndedPeriods(Duration keep) {
      this.keepEndedPeriods = positive("keepEndedPeriods", keep);
      return this;
    }

    /**
     * The most writes kept while Redis fails (each about 200 bytes); 100,000 by default. One more
     * is dropped, counted in {@link RedisHealth#dropped()} and logged.
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxPending(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1, was " + max);
      }
      this.maxPending = max;
      return this;
    }

    /** The nanosecond clock outages are timed on (tests). */
    Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Connects (for a URI or a client) and makes the stores.
     *
     * @return the stores
     * @throws IllegalStateException if no connection source or more than one was given
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
     */
    public RedisStores build() {
      if (sources.size() != 1) {
        throw new IllegalStateException(sources.isEmpty()
            ? "say where Redis is: uri(...), client(...), cluster(...) or connection(...)"
            : "give one of " + String.join(" and ", sources) + ", not both");
      }
      if (uri != null) {
        RedisClient made = RedisClients.client(uri, commandTimeout);
        try {
          StatefulRedisConnection<String, String> c = made.connect();
          return new RedisStores(this, c, c.async(), () -> {
            c.close();
            made.shutdown();
          });
        } catch (RuntimeException e) {
          made.shutdown();
          throw e;
        }
      }
      if (client != null) {
        StatefulRedisConnection<String, String> c = client.connect();
        return new RedisStores(this, c, c.async(), c::close);
      }
      if (clusterClient != null) {
        StatefulRedisClusterConnection<String, String> c = clusterClient.connect();
        try {
          RedisClients.connectEveryNode(c);
        } catch (RuntimeException e) {
          c.close();
          throw e;
        }
        return new RedisStores(this, c, c.async(), c::close);
      }
      if (connection != null) {
        return new RedisStores(this, connection, connection.async(), null);
      }
      StatefulRedisClusterConnection<String, String> c = Objects.requireNonNull(clusterConnection);
      return new RedisStores(this, c, c.async(), null);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
