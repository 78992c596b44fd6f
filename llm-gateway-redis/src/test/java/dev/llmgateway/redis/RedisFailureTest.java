package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;
import dev.llmgateway.core.budget.BudgetStore.Cap;
import dev.llmgateway.core.budget.BudgetStoreException;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.limit.LimitCounter;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.LimitStore;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.limit.Settlement;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stores while Redis fails, with a real {@code redis-server} stopped (SIGSTOP: connected, and
 * silent) or killed, and an injected clock for the retry interval: failing closed, an admission
 * fails with the typed error within the command timeout and a margin, the next ones at once, and
 * the stores come back by themselves after SIGCONT or a restart; failing open, admissions go on
 * under this JVM's share of each limit and budget, and what was spent meanwhile reaches Redis once
 * per call — also a settlement that Redis took while its reply was lost. A gateway on the stores
 * surfaces the same typed errors.
 */
@Timeout(90)
class RedisFailureTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  /** What a hung admission may take beyond the command timeout: scheduling on a shared machine. */
  private static final long MARGIN_MILLIS = 700;
  private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");

  private static LimitRequest rpm(long limit) {
    return LimitRequest.window(new LimitCounter("team-rpm", Scope.TEAM, "acme", "search"), limit,
        60_000, 60, 1);
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void failingClosedAHungRedisRefusesWithinTheTimeoutThenAtOnceAndRecoversAfterSigcont()
      throws Exception {
    AtomicLong ticker = new AtomicLong();
    try (LocalRedis redis = LocalRedis.start();
        RedisStores stores = RedisStores.builder().uri(redis.uri()).keyPrefix(Stores.prefix())
            .commandTimeout(TIMEOUT).ticker(ticker::get).build()) {
      LimitStore limits = stores.limitStore();
      BudgetStore budgets = stores.budgetStore();
      BudgetCounter team = new BudgetCounter("team", Scope.TEAM, "acme", "search", START, END);
      assertThat(limits.acquire(List.of(rpm(100)), 0).isAdmitted()).isTrue();

      redis.pause();
      try {
        long start = System.nanoTime();
        assertThatThrownBy(() -> limits.acquire(List.of(rpm(100)), 0))
            .isInstanceOf(RedisUnavailableException.class)
            .hasMessageContaining("RedisCommandTimeoutException").hasMessageContaining("closed");
        assertThat(millisSince(start)).as("the command timeout, then the typed error")
            .isBetween(TIMEOUT.toMillis() - 20, TIMEOUT.toMillis() + MARGIN_MILLIS);

        start = System.nanoTime();
        assertThatThrownBy(() -> limits.acquire(List.of(rpm(100)), 0))
            .isInstanceOf(RedisUnavailableException.class);
        assertThatThrownBy(() -> budgets.balances(List.of(team), START))
            .isInstanceOf(BudgetStoreException.class).hasMessageContaining("fails closed");
        assertThatThrownBy(() -> budgets.reserve("c1", List.of(new Cap(team, 100)), 10,
            START.plusSeconds(60), START)).isInstanceOf(BudgetStoreException.class);
        assertThat(millisSince(start)).as("the outage is known: no waiting")
            .isLessThan(TIMEOUT.toMillis());

        RedisHealth health = stores.health();
        assertThat(health.mode()).isEqualTo(RedisHealth.Mode.FAILING_CLOSED);
        assertThat(health.connected()).isFalse();
        assertThat(health.downSince()).isNotNull();
        assertThat(health.outages()).as("one outage, one WARN").isEqualTo(1);
        assertThat(health.refusals()).isEqualTo(4);
        assertThat(health.failures()).as("only the first call reached Redis").isEqualTo(1);
      } finally {
        redis.resume();
      }
      assertThatThrownBy(() -> limits.acquire(List.of(rpm(100)), 0))
          .as("within the retry interval, still refused without trying")
          .isInstanceOf(RedisUnavailableException.class);
      ticker.addAndGet(RedisStores.DEFAULT_RETRY_INTERVAL.toNanos());
      assertThat(limits.acquire(List.of(rpm(100)), 0).isAdmitted()).as("tried, and it answers")
          .isTrue();
      assertThat(budgets.balances(List.of(team), START))
          .containsExactly(BudgetBalance.empty(team));
      assertThat(stores.health().mode()).isEqualTo(RedisHealth.Mode.NORMAL);
      assertThat(stores.health().connected()).isTrue();
    }
  }

  @Test
  void failingOpenAdmitsUnderTheLocalShareAndWritesTheOutagesSpendOnce() throws Exception {
    AtomicLong ticker = new AtomicLong();
    try (LocalRedis redis = LocalRedis.start(); Stores.Raw raw = new Stores.Raw(redis);
        RedisStores stores = RedisStores.builder().uri(redis.uri()).keyPrefix(Stores.prefix())
            .commandTimeout(TIMEOUT).timeSource(TimeSource.GATEWAY)
            .failurePolicy(FailurePolicy.failOpen(2)).ticker(ticker::get).build()) {
      LimitStore limits = stores.limitStore();
      BudgetStore budgets = stores.budgetStore();
      BudgetCounter team = new BudgetCounter("team", Scope.TEAM, "acme", "search", START, END);
      List<Cap> caps = List.of(new Cap(team, 10_000));
      Instant now = START.plusSeconds(60);
      Instant lease = now.plusSeconds(600);
      long t = now.toEpochMilli();
      LimitRequest slot = LimitRequest.slot(new LimitCounter("conc", Scope.TEAM, "acme", "s"), 4,
          "c4", t + 600_000);
      assertThat(limits.acquire(List.of(slot), t).isAdmitted()).isTrue();
      assertThat(budgets.reserve("c0", caps, 2_500, lease, now)).isNull();
      budgets.settle("c0", List.of(team), 2_000, now);
      assertThat(budgets.reserve("c3", caps, 1_500, lease, now)).isNull();
      assertThat(budgets.balances(List.of(team), now)).as("last read: 2,000 spent, 1,500 held")
          .containsExactly(new BudgetBalance(team, 2_000, 1_500, 0));

      redis.pause();
      try {
        // sent before anyone knows: Redis takes it once it runs again, and its reply is lost
        budgets.settle("c3", List.of(team), 1_000, now);
        assertThat(stores.health().mode()).isEqualTo(RedisHealth.Mode.FAILING_OPEN);

        long start = System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < 8; i++) {
          admitted += limits.acquire(List.of(rpm(10)), t + i).isAdmitted() ? 1 : 0;
        }
        assertThat(admitted).as("10 per minute shared by 2 replicas: 5 here").isEqualTo(5);
        assertThat(millisSince(start)).as("the outage is known: no waiting")
            .isLessThan(TIMEOUT.toMillis());

        // room as last read: 10,000 - 2,000 spent - 1,500 held = 6,500; this JVM's half, 3,250,
        // of which c3's settlement took 1,000 here (counted twice, with its hold: conservative)
        assertThat(budgets.reserve("c1", caps, 2_000, lease, now)).isNull();
        assertThat(budgets.reserve("c2", caps, 300, lease, now)).as("3,300 > 3,250").isNotNull();
        budgets.settle("c1", List.of(team), 2_500, now);
        limits.settle(List.of(Settlement.release(slot)), t);
        assertThat(budgets.balances(List.of(team), now).get(0).spentNanos())
            .as("as last read, plus what was spent here").isEqualTo(5_500);
        assertThat(budgets.mark(team, 1, now)).isEqualTo(1);
        RedisHealth health = stores.health();
        assertThat(health.fallbacks()).isEqualTo(8 + 2 + 1);
        assertThat(health.pending()).as("c3, c1, the release, the mark").isEqualTo(4);
        assertThat(health.outages()).isEqualTo(1);
      } finally {
        redis.resume();
      }

      ticker.addAndGet(RedisStores.DEFAULT_RETRY_INTERVAL.toNanos());
      BudgetBalance after = budgets.balances(List.of(team), now).get(0);
      assertThat(stores.health().pending()).as("replayed after the first call that answered")
          .isZero();
      assertThat(stores.health().reconciled()).isEqualTo(4);
      assertThat(budgets.balances(List.of(team), now)).as("2,000 + 1,000 (once) + 2,500")
          .containsExactly(new BudgetBalance(team, 5_500, 0, 1));
      assertThat(after.spentNanos()).isBetween(2_000L, 5_500L);
      assertThat(raw.redis.zcard(stores.keys().slots(slot.counter()))).as("released").isZero();
      assertThat(stores.health().mode()).isEqualTo(RedisHealth.Mode.NORMAL);
      assertThat(budgets.settle("c1", List.of(team), 2_500, now)).as("settled once")
          .containsExactly(new BudgetBalance(team, 5_500, 0, 1));
    }
  }

  @Test
  void aKilledRedisIsRefusedAtOnceAndAfterItsRestartTheKeptSpendIsWritten() throws Exception {
    AtomicLong ticker = new AtomicLong();
    try (LocalRedis redis = LocalRedis.start()) {
      RedisClient client = RedisClients.client(redis.uri(), TIMEOUT);
      try (RedisStores stores = RedisStores.builder().client(client).keyPrefix(Stores.prefix())
          .commandTimeout(TIMEOUT).ticker(ticker::get).build()) {
        BudgetStore budgets = stores.budgetStore();
        BudgetCounter team = new BudgetCounter("team", Scope.TEAM, "acme", "k", START, END);
        assertThat(budgets.reserve("c1", List.of(new Cap(team, 1_000)), 500,
            START.plusSeconds(600), START)).isNull();

        CountDownLatch back = Stores.reconnected(client);
        redis.kill();
        long start = System.nanoTime();
        assertThatThrownBy(() -> stores.limitStore().acquire(List.of(rpm(5)), 0))
            .isInstanceOf(RedisUnavailableException.class);
        assertThat(millisSince(start)).as("disconnected: refused, not waited for")
            .isLessThan(TIMEOUT.toMillis());
        assertThat(budgets.settle("c1", List.of(team), 400, START)).as("kept, not thrown")
            .hasSize(1);

        redis.restart();
        assertThat(back.await(30, TimeUnit.SECONDS)).isTrue();
        ticker.addAndGet(RedisStores.DEFAULT_RETRY_INTERVAL.toNanos());
        assertThat(stores.limitStore().acquire(List.of(rpm(5)), 0).isAdmitted()).isTrue();
        assertThat(budgets.balances(List.of(team), START))
            .containsExactly(new BudgetBalance(team, 400, 0, 0));
        assertThat(stores.health().reconciled()).isEqualTo(1);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aGatewayOnTheStoresSurfacesTheTypedErrorsAndGoesOnAfterwards() throws Exception {
    AtomicLong ticker = new AtomicLong();
    try (LocalRedis redis = LocalRedis.start();
        RedisStores stores = RedisStores.builder().uri(redis.uri()).keyPrefix(Stores.prefix())
            .commandTimeout(TIMEOUT).ticker(ticker::get).build()) {
      Principal caller = Principal.builder().org("acme").team("search").build();
      ChatRequest ask = ChatRequest.builder("fake/m").user("hi").maxOutputTokens(100).build();
      try (Gateway limited = gateway(RateLimits.builder()
              .limit(RateLimit.requestsPerMinute(100).perTeam()).store(stores.limitStore())
              .build(), null);
          Gateway budgeted = gateway(null, Budgets.builder()
              .budget(Budget.perId("team-monthly", Scope.TEAM, "10.00"))
              .store(stores.budgetStore()).build())) {
        assertThat(limited.chat(ask, caller).text()).isEqualTo("ok");
        assertThat(budgeted.chat(ask, caller).text()).isEqualTo("ok");

        redis.pause();
        try {
          long start = System.nanoTime();
          assertThatThrownBy(() -> limited.chat(ask, caller))
              .isInstanceOf(RedisUnavailableException.class);
          assertThat(millisSince(start)).isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
          assertThatThrownBy(() -> budgeted.chat(ask, caller))
              .isInstanceOf(BudgetStoreException.class).hasMessageContaining("fails closed");
        } finally {
          redis.resume();
        }
        ticker.addAndGet(RedisStores.DEFAULT_RETRY_INTERVAL.toNanos());
        assertThat(limited.chat(ask, caller).text()).isEqualTo("ok");
        assertThat(budgeted.chat(ask, caller).text()).isEqualTo("ok");
      }
    }
  }

  private static Gateway gateway(RateLimits limits, Budgets budgets) {
    var b = Gateway.builder().provider(new TinyProvider("fake", r -> 10))
        .price("fake/m", Price.perMillion("1.00", "40.00"));
    if (limits != null) {
      b.rateLimits(limits);
    }
    if (budgets != null) {
      b.budgets(budgets);
    }
    return b.build();
  }
}
