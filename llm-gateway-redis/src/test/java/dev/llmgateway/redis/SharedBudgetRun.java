package dev.llmgateway.redis;

import dev.llmgateway.BudgetExceededException;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetStoreException;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.limit.Acquisition;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.LimitStore;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.limit.Settlement;
import dev.llmgateway.core.usage.JsonLinesUsageSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One gateway instance of the cross-process test: a gateway on its own {@link RedisStores} (its own
 * connection; the server's clock), a team budget and a team rate limit shared through Redis, a
 * {@link TinyProvider} whose answers cost a seeded pseudo-random amount, usage records written as
 * JSON Lines, and the times Redis counted each admission of the rate limit at. Run in this JVM
 * ({@link #prepare} then {@link #run}) or in a child JVM ({@link #main}: prints {@code READY},
 * waits for {@code GO} on its input, runs, prints {@code DONE}).
 */
final class SharedBudgetRun implements AutoCloseable {
  static final String TEAM_BUDGET = "search-monthly";
  static final String BUDGET_DOLLARS = "10.00";
  static final String RPM = "team-rpm";
  static final long RPM_LIMIT = 300;
  static final Duration RPM_WINDOW = Duration.ofSeconds(2);
  static final int RPM_BUCKETS = 20;
  static final int MAX_OUTPUT_TOKENS = 1_000;
  static final Principal CALLER = Principal.builder().org("acme").team("search").build();

  private final String name;
  private final Path out;
  private final long seed;
  private final int threads;
  private final int callsPerThread;
  private final int k;
  private final RedisStores stores;
  private final Gateway gateway;
  private final JsonLinesUsageSink sink;
  private final ConcurrentLinkedQueue<Long> admittedAt = new ConcurrentLinkedQueue<>();
  final AtomicInteger succeeded = new AtomicInteger();
  final AtomicInteger rateLimited = new AtomicInteger();
  final AtomicInteger overBudget = new AtomicInteger();
  final AtomicInteger unavailable = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();

  private SharedBudgetRun(String redisUri, String prefix, Path out, String name, long seed,
      int threads, int callsPerThread, int k) {
    this.name = name;
    this.k = k;
    this.out = out;
    this.seed = seed;
    this.threads = threads;
    this.callsPerThread = callsPerThread;
    this.stores = RedisStores.builder().uri(redisUri).keyPrefix(prefix)
        .commandTimeout(Stores.RACE_TIMEOUT).build();
    this.sink = JsonLinesUsageSink.builder(out).prefix("usage-" + name).build();
    LimitStore recording = new Recording(stores.limitStore());
    this.gateway = Gateway.builder()
        .provider(new TinyProvider("fake", this::outputTokens))
        .price("fake/m", Price.perMillion("1.00", "80.00"))
        .rateLimits(RateLimits.builder().store(recording)
            .limit(RateLimit.requests(RPM_LIMIT, RPM_WINDOW).buckets(RPM_BUCKETS).perTeam()
                .named(RPM))
            .build())
        .budgets(Budgets.builder().store(stores.budgetStore())
            .budget(Budget.forId(TEAM_BUDGET, Scope.TEAM, "search", BUDGET_DOLLARS)).build())
        .usageSink(sink)
        .build();
  }

  /**
   * Builds the instance: its connection, gateway and files; its calls cost up to {@code k} times
   * what they reserve.
   */
  static SharedBudgetRun prepare(String redisUri, String prefix, Path out, String name, long seed,
      int threads, int callsPerThread, int k) {
    return new SharedBudgetRun(redisUri, prefix, out, name, seed, threads, callsPerThread, k);
  }

  /**
   * 1 to {@code k} × {@link #MAX_OUTPUT_TOKENS} output tokens (the request allows the latter), by
   * the seed and the request's text.
   */
  private long outputTokens(ChatRequest request) {
    long h = seed * 0x9E3779B97F4A7C15L + request.messages().get(0).text().hashCode();
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return 1 + Math.floorMod(h, (long) MAX_OUTPUT_TOKENS * k);
  }

  /** Every thread makes its calls at once, released by one latch; then the records are written. */
  void run() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < callsPerThread; i++) {
          ChatRequest ask = ChatRequest.builder("fake/m").user(name + "-" + thread + "-" + i)
              .maxOutputTokens(MAX_OUTPUT_TOKENS).build();
          try {
            gateway.chat(ask, CALLER);
            succeeded.incrementAndGet();
          } catch (RateLimitedException e) {
            rateLimited.incrementAndGet();
          } catch (BudgetExceededException e) {
            overBudget.incrementAndGet();
          } catch (RedisUnavailableException | BudgetStoreException e) {
            unavailable.incrementAndGet(); // Redis slower than the command timeout: fail closed
          } catch (RuntimeException e) {
            failed.incrementAndGet();
            System.out.println("FAILED " + e);
          }
        }
        return null;
      }));
    }
    go.countDown();
    try {
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    gateway.close(); // drains the usage records into the sink
    sink.close();
    List<String> times = new ArrayList<>();
    admittedAt.forEach(t -> times.add(Long.toString(t)));
    Files.write(out.resolve("admitted-" + name + ".txt"), times, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    gateway.close();
    stores.close();
  }

  /** Records the time Redis counted each admission of the rate limit at. */
  private final class Recording implements LimitStore {
    private final LimitStore store;

    Recording(LimitStore store) {
      this.store = store;
    }

    @Override
    public Acquisition acquire(List<LimitRequest> requests, long nowMillis) {
      Acquisition a = store.acquire(requests, nowMillis);
      if (a.isAdmitted()) {
        for (int i = 0; i < requests.size(); i++) {
          if (requests.get(i).counter().limit().equals(RPM)) {
            admittedAt.add(a.countedAtMillis(i));
          }
        }
      }
      return a;
    }

    @Override
    public void settle(List<Settlement> settlements, long nowMillis) {
      store.settle(settlements, nowMillis);
    }
  }

  /**
   * The child's entry: {@code <redis uri> <prefix> <out dir> <name> <seed> <threads> <calls per
   * thread> <k>}.
   */
  public static void main(String[] args) throws Exception {
    try (SharedBudgetRun run = prepare(args[0], args[1], Path.of(args[2]), args[3],
        Long.parseLong(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
        Integer.parseInt(args[7]))) {
      System.out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      String line = in.readLine();
      if (!"GO".equals(line)) {
        throw new IllegalStateException("expected GO, read " + line);
      }
      run.run();
      System.out.println("DONE " + run.summary());
    }
    System.exit(0);
  }

  String summary() {
    return "succeeded=" + succeeded + " rateLimited=" + rateLimited + " overBudget=" + overBudget
        + " unavailable=" + unavailable + " failed=" + failed;
  }
}
