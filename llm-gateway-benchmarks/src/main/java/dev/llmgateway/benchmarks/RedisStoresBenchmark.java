package dev.llmgateway.benchmarks;

import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;
import dev.llmgateway.core.budget.InMemoryBudgetStore;
import dev.llmgateway.core.limit.Acquisition;
import dev.llmgateway.core.limit.InMemoryLimitStore;
import dev.llmgateway.core.limit.LimitCounter;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.LimitStore;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.limit.Settlement;
import dev.llmgateway.redis.RedisStores;
import dev.llmgateway.redis.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one call's admission costs in the limit and budget stores, as the gateway asks them: a
 * team's rate limit and concurrency slot taken ({@code acquire}), the team's and org's budgets read
 * ({@code balances}), the call's most reserved on both ({@code reserve}), then its cost settled
 * ({@code settle}) and its slot released (the limits' {@code settle}) — five store calls, each one
 * round trip on Redis. Every call is of the same team (one window, one slot set, two budget
 * counters: the hottest keys there can be). Arms:
 *
 * <ul>
 *   <li>{@code memory}: {@link InMemoryLimitStore} and {@link InMemoryBudgetStore};
 *   <li>{@code redis}: {@link RedisStores} on a local {@code redis-server} started by the
 *       benchmark, {@code appendfsync everysec} (a common production setting), server time;
 *   <li>{@code redis-fsync}: the same with {@code appendfsync always}, as the Redis tests run it
 *       (every write on disk before its reply).
 * </ul>
 *
 * <p>Without {@code redis-server} on the PATH the Redis arms fail at once with a message saying
 * how to install it; the memory arm runs. Run from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar RedisStoresBenchmark
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RedisStoresBenchmark {
  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant END = Instant.parse("2027-01-01T00:00:00Z");
  private static final LimitCounter RPM =
      new LimitCounter("team-rpm", Scope.TEAM, "acme", "search");
  private static final LimitCounter SLOTS =
      new LimitCounter("team-concurrent", Scope.TEAM, "acme", "search");
  private static final BudgetCounter TEAM =
      new BudgetCounter("team-monthly", Scope.TEAM, "acme", "search", START, END);
  private static final BudgetCounter ORG =
      new BudgetCounter("org-monthly", Scope.ORG, "acme", "acme", START, END);
  private static final List<BudgetCounter> COUNTERS = List.of(TEAM, ORG);
  /** Caps no run reaches (below 2^53 nano-dollars, as the Redis store requires). */
  private static final List<BudgetStore.Cap> CAPS = List.of(
      new BudgetStore.Cap(TEAM, 9_000_000_000_000_000L), new BudgetStore.Cap(ORG,
          9_000_000_000_000_000L));

  @Param({"memory", "redis", "redis-fsync"})
  public String store;

  private @Nullable RedisServerProcess server;
  private @Nullable RedisStores redis;
  private LimitStore limits;
  private BudgetStore budgets;
  private final AtomicLong calls = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (store.equals("memory")) {
      limits = new InMemoryLimitStore();
      // settled call ids are remembered a second, not 15 minutes: millions of calls would not fit
      budgets = InMemoryBudgetStore.builder().settledIdMemory(Duration.ofSeconds(1)).build();
      return;
    }
    server = RedisServerProcess.start(store.equals("redis") ? "everysec" : "always");
    redis = RedisStores.builder().uri(server.uri()).timeSource(TimeSource.SERVER)
        .commandTimeout(Duration.ofSeconds(2)).settledIdMemory(Duration.ofMinutes(1)).build();
    limits = redis.limitStore();
    budgets = redis.budgetStore();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (redis != null) {
      redis.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** One call's admission and settlement, on one thread. */
  @Benchmark
  @Threads(1)
  public long admitOneThread() {
    return admit();
  }

  /** The same on 16 threads at once (the figure is per call, per thread). */
  @Benchmark
  @Threads(16)
  public long admitSixteenThreads() {
    return admit();
  }

  private long admit() {
    long n = calls.incrementAndGet();
    String callId = "call-" + n;
    long now = System.currentTimeMillis();
    LimitRequest rpm = LimitRequest.window(RPM, RateLimit.MAX_LIMIT, 60_000, 60, 1);
    LimitRequest slot = LimitRequest.slot(SLOTS, 1_000_000, callId, now + 2_000);
    Acquisition acquired = limits.acquire(List.of(rpm, slot), now);
    if (!acquired.isAdmitted()) {
      throw new IllegalStateException("a limit refused: " + acquired);
    }
    Instant at = Instant.ofEpochMilli(now);
    List<BudgetBalance> balances = budgets.balances(COUNTERS, at);
    // a short lease: a settled call is remembered until its lease would have ended, and millions
    // of calls a minute would otherwise fill the in-memory store with remembered call ids
    if (budgets.reserve(callId, CAPS, 1_000, at.plusSeconds(2), at) != null) {
      throw new IllegalStateException("a budget refused");
    }
    List<BudgetBalance> settled = budgets.settle(callId, COUNTERS, 500, at);
    limits.settle(List.of(Settlement.release(slot)), now);
    return balances.get(0).spentNanos() + settled.get(0).spentNanos()
        + acquired.countedAtMillis(0);
  }
}
