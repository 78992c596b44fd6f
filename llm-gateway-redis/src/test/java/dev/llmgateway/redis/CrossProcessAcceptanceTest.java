package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetPeriod;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.usage.UsageRecordJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance, across processes on one real Redis: two child JVMs (64 MiB heaps) and two
 * gateway instances in this JVM, 16 threads each, 31 calls per thread (1,984 in all), one $10 team
 * budget, calls of seeded random cost and a team rate limit of 300 requests per sliding 2 s window
 * (20 buckets), all released together; twice: calls cost at most what they reserved (up to $0.08),
 * then up to twice that. Then:
 *
 * <ul>
 *   <li>the budget's worst case, the bounds the in-memory store's concurrency test checks (as
 *       {@code Budgets} derives them): calls that cost at most what they reserved never spend past
 *       the limit — spent ≤ $10; calls that cost up to k times it overspend by at most (k − 1) × N
 *       × H, N = 64 calls in flight, H = $0.0801 — $5.13 for k = 2; and the budget ran out (some
 *       calls refused by it, most of it spent);
 *   <li>what Redis settled equals the sum of every process's usage records' costs, to the
 *       nano-dollar, with nothing still reserved; one record per call;
 *   <li>the rate limit: in every 2 s window of the times Redis counted the admissions at (its own
 *       clock, one for all processes), at most 300 were admitted.
 * </ul>
 *
 * <p>On a loaded machine Redis may answer slower than the 500 ms command timeout now and then: such
 * a call fails closed with the typed error (and is counted as such); every bound above still holds,
 * and what the stores kept for Redis is written before they close.
 */
@Timeout(120)
class CrossProcessAcceptanceTest {
  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 31;
  /**
   * The most one call reserves, H: its 1,000 output tokens at $80 per million ($0.08) and its
   * estimated input (a few tokens of a short prompt; 100 allowed) at $1 per million.
   */
  private static final long MOST_RESERVED = 1_000 * 80_000L + 100 * 1_000L;

  @TempDir
  Path out;

  @ParameterizedTest(name = "calls cost up to {0}x what they reserved")
  @ValueSource(ints = {1, 2})
  void twoChildJvmsAndTwoInstancesHereShareOneBudgetAndOneRateLimit(int k) throws Exception {
    try (LocalRedis redis = LocalRedis.start()) {
      String prefix = Stores.prefix();
      List<ChildJvm> children = new ArrayList<>();
      List<SharedBudgetRun> here = new ArrayList<>();
      List<String> summaries = new ArrayList<>();
      ExecutorService runs = Executors.newFixedThreadPool(2);
      try {
        for (int i = 1; i <= 2; i++) {
          children.add(ChildJvm.start(SharedBudgetRun.class, 64, out, redis.uri(), prefix,
              out.toString(), "child-" + i, Integer.toString(100 * k + i),
              Integer.toString(THREADS), Integer.toString(CALLS_PER_THREAD),
              Integer.toString(k)));
        }
        for (int i = 1; i <= 2; i++) {
          here.add(SharedBudgetRun.prepare(redis.uri(), prefix, out, "here-" + i,
              100 * k + 10 + i, THREADS, CALLS_PER_THREAD, k));
        }
        for (ChildJvm child : children) {
          child.awaitLine("READY", 60);
        }
        for (ChildJvm child : children) {
          child.send("GO");
        }
        List<Future<?>> done = new ArrayList<>();
        for (SharedBudgetRun run : here) {
          done.add(runs.submit(() -> {
            run.run();
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        for (ChildJvm child : children) {
          summaries.add(child.awaitLine("DONE", 60));
          assertThat(child.await(30)).as(child.output()).isZero();
        }
      } finally {
        runs.shutdownNow();
        here.forEach(SharedBudgetRun::close);
        children.forEach(ChildJvm::close);
      }

      List<UsageRecord> records = records(out);
      assertThat(records).as("one record per call").hasSize(4 * THREADS * CALLS_PER_THREAD);
      long costs = 0;
      int overBudget = 0;
      int refusedByLimit = 0;
      int unavailableAtTheLimit = 0;
      int unavailable = 0;
      for (UsageRecord r : records) {
        costs += r.cost() == null ? 0 : Budget.toNanos(r.cost());
        if (r.outcome() == UsageRecord.Outcome.REFUSED) {
          refusedByLimit += r.refusal() == UsageRecord.Refusal.LIMIT ? 1 : 0;
          overBudget += "BudgetExceededException".equals(r.errorType()) ? 1 : 0;
          unavailable += "BudgetStoreException".equals(r.errorType()) ? 1 : 0;
        } else if (r.outcome() == UsageRecord.Outcome.FAILED) {
          // Redis slower than the 500 ms command timeout (a loaded machine): refused, typed
          assertThat(r.errorType()).as("the only failure").isEqualTo("RedisUnavailableException");
          unavailableAtTheLimit++;
        } else {
          assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
        }
      }
      for (SharedBudgetRun run : here) {
        assertThat(run.failed).as(run.summary()).hasValue(0);
      }
      for (String done : summaries) {
        assertThat(done).contains(" failed=0");
      }
      System.out.printf("%d records: %d refused by the rate limit, %d by the budget, %d failed"
          + " closed for a slow Redis%n", records.size(), refusedByLimit, overBudget,
          unavailable + unavailableAtTheLimit);

      Instant now = Instant.now();
      BudgetCounter counter = new BudgetCounter(SharedBudgetRun.TEAM_BUDGET, Scope.TEAM, "acme",
          "search", BudgetPeriod.MONTH.start(now, ZoneOffset.UTC),
          BudgetPeriod.MONTH.end(now, ZoneOffset.UTC));
      BudgetBalance balance;
      try (RedisStores stores = RedisStores.builder().uri(redis.uri()).keyPrefix(prefix)
          .commandTimeout(Stores.TIMEOUT).build()) {
        balance = stores.budgetStore().balances(List.of(counter), now).get(0);
      }
      long limit = Budget.toNanos(new java.math.BigDecimal(SharedBudgetRun.BUDGET_DOLLARS));
      assertThat(balance.spentNanos()).as("settled in Redis = the records' costs")
          .isEqualTo(costs);
      assertThat(balance.reservedNanos()).as("nothing held after every call ended").isZero();
      if (k == 1) {
        assertThat(balance.spentNanos()).as("never past the limit").isLessThanOrEqualTo(limit);
      } else {
        assertThat(balance.spentNanos() - limit).as("overspend within (k - 1) x N x H")
            .isLessThanOrEqualTo((k - 1) * 4L * THREADS * MOST_RESERVED);
      }
      assertThat(balance.spentNanos()).as("the budget ran out").isGreaterThan(limit / 2);
      assertThat(overBudget).as("calls refused by the budget").isPositive();
      System.out.printf("spent $%s of $%s%n", Budget.toDollars(balance.spentNanos())
          .toPlainString(), SharedBudgetRun.BUDGET_DOLLARS);

      List<long[]> admitted = new ArrayList<>();
      try (Stream<Path> files = Files.list(out)) {
        for (Path f : files.filter(p -> p.getFileName().toString().startsWith("admitted-"))
            .toList()) {
          for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            admitted.add(new long[] {Long.parseLong(line), 1});
          }
        }
      }
      assertThat(admitted).as("each call the rate limit admitted was recorded")
          .hasSize(4 * THREADS * CALLS_PER_THREAD - refusedByLimit - unavailableAtTheLimit);
      RedisLimitStoreTest.assertEveryWindow(0, admitted,
          SharedBudgetRun.RPM_WINDOW.toMillis(), SharedBudgetRun.RPM_LIMIT);
    }
  }

  private static List<UsageRecord> records(Path dir) throws Exception {
    List<UsageRecord> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("usage-")).toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          UsageRecord r = UsageRecordJson.read(line);
          if (r != null) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }
}
