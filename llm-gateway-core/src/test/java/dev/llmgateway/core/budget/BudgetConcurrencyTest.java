package dev.llmgateway.core.budget;

import static dev.llmgateway.core.budget.BudgetFixture.BIG_IN;
import static dev.llmgateway.core.budget.BudgetFixture.BIG_OUT;
import static dev.llmgateway.core.budget.BudgetFixture.DOLLAR;
import static dev.llmgateway.core.budget.BudgetFixture.SUPPORT;
import static dev.llmgateway.core.budget.BudgetFixture.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.BudgetExceededException;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.route.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 64 threads against one $10 team budget, through a gateway, with calls of random cost (the stub
 * answers each with a seeded random usage). Each call asks for at most 1,000 output tokens of
 * {@code stub/big} ($10 / $30 per million), so it reserves {@code H = 5 × $10 + 1,000 × $30} per
 * million = $0.03005.
 *
 * <ul>
 *   <li>When every call costs at most what it reserved, the settled total never passes $10.
 *   <li>When a call costs up to twice what it reserved (k = 2), the overspend stays within {@code
 *       (k − 1) × N × H} = 64 × $0.03005 = $1.9232, the figure {@link Budgets} derives for N = 64
 *       calls in flight at once.
 *   <li>Either way the settled total equals the sum of the usage records' costs, and nothing stays
 *       reserved.
 * </ul>
 *
 * Ten seeded rounds per variant, all threads released at once by a latch.
 */
@Timeout(300)
class BudgetConcurrencyTest {
  private static final int THREADS = 64;
  private static final int CALLS_PER_THREAD = 50;
  private static final int MAX_OUTPUT = 1_000;
  private static final long RESERVED = 5 * BIG_IN + MAX_OUTPUT * BIG_OUT;
  /** The overspend bound for k = 2: (k - 1) x N x H. */
  private static final long OVERSPEND_BOUND = (2 - 1) * THREADS * RESERVED;
  private static final Budget TEAM = Budget.perId("team-monthly", Scope.TEAM, "10.00");

  @Test
  void theFiguresAreWhatTheJavadocSays() {
    assertThat(RESERVED).isEqualTo(30_050_000L);
    assertThat(Budget.toDollars(OVERSPEND_BOUND)).isEqualByComparingTo("1.9232");
  }

  @ParameterizedTest(name = "actual cost up to {0}x the estimate")
  @ValueSource(ints = {1, 2})
  void sixtyFourThreadsAgainstOneTenDollarBudget(int k) throws Exception {
    for (int round = 0; round < 10; round++) {
      long seed = 0xB0D6E7L * 31 + round * 7919L + k;
      run(seed, k);
    }
  }

  private void run(long seed, int k) throws Exception {
    try (BudgetFixture f = new BudgetFixture()) {
      f.stub.recordCalls(false);
      Random random = new Random(seed);
      for (int i = 0; i < THREADS * CALLS_PER_THREAD; i++) {
        // input up to k x the 5 estimated tokens, output up to k x the 1,000 allowed
        f.stub.onAnyModel().reply("answer", Usage.of(random.nextInt(5 * k + 1),
            random.nextInt(MAX_OUTPUT * k + 1)));
      }
      Gateway gateway = f.gateway(f.budgets(TEAM).build(),
          b -> b.alias("plain", Route.to("stub/big")));
      ChatRequest request = ask("plain", "q", MAX_OUTPUT);
      assertThat(request.maxOutputTokens()).isEqualTo(MAX_OUTPUT);
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger refused = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          done.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
              try {
                gateway.chat(request, SUPPORT);
              } catch (BudgetExceededException e) {
                refused.incrementAndGet();
              }
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> d : done) {
          d.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      BudgetBalance balance = f.balance(TEAM, SUPPORT);
      String where = "seed " + seed + ", k " + k;
      assertThat(refused.get()).as("the budget ran out (%s)", where).isPositive();
      assertThat(f.records.records()).hasSize(THREADS * CALLS_PER_THREAD)
          .filteredOn(r -> r.outcome() == UsageRecord.Outcome.SUCCEEDED).isNotEmpty();
      assertThat(balance.reservedNanos()).as(where).isZero();
      assertThat(balance.spentNanos()).as("settled = the records' costs (%s)", where)
          .isEqualTo(f.recordedNanos());
      if (k == 1) {
        assertThat(balance.spentNanos()).as(where).isLessThanOrEqualTo(10 * DOLLAR);
      } else {
        assertThat(balance.spentNanos() - 10 * DOLLAR).as("overspend (%s)", where)
            .isLessThanOrEqualTo(OVERSPEND_BOUND);
      }
    }
  }
}
