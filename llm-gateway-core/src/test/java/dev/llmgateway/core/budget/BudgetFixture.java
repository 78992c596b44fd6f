package dev.llmgateway.core.budget;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.route.Route;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the budget tests share: a clock standing on 15 December 2026, a stub provider with two
 * priced models — {@code stub/big} at $10 / $30 and {@code stub/small} at $1 / $3 per million
 * tokens, so every cost is a whole number of nano-dollars — the aliases {@code smart} (big,
 * downgrading to {@code cheap}) and {@code cheap} (small), an in-memory store and a usage sink.
 */
final class BudgetFixture implements AutoCloseable {
  static final Instant DEC_15 = Instant.parse("2026-12-15T12:00:00Z");
  static final long DOLLAR = 1_000_000_000L;
  /** Nano-dollars per token. */
  static final long BIG_IN = 10_000;
  static final long BIG_OUT = 30_000;
  static final long SMALL_IN = 1_000;
  static final long SMALL_OUT = 3_000;
  static final Principal SUPPORT = Principal.builder().org("acme").team("support").keyId("k-1")
      .user("user-secret-42").build();
  static final Principal SALES = Principal.builder().org("acme").team("sales").keyId("k-2")
      .build();

  final MutableClock clock = new MutableClock(DEC_15);
  final StubProvider stub = new StubProvider("stub");
  final InMemoryUsageSink records = new InMemoryUsageSink();
  final InMemoryBudgetStore store = InMemoryBudgetStore.create();
  /** What the gateways' budgets use: the store, recorded. */
  final RecordingStore recording = new RecordingStore(store);
  final List<BudgetEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Gateway> gateways = new ArrayList<>();

  Budgets.Builder budgets(Budget... budgets) {
    Budgets.Builder b = Budgets.builder().store(recording).listener(events::add);
    for (Budget budget : budgets) {
      b.budget(budget);
    }
    return b;
  }

  GatewayBuilder builder(Budgets budgets) {
    return Gateway.builder().provider(stub).clock(clock).usageSink(records)
        .price("stub/big", Price.perMillion("10", "30"))
        .price("stub/small", Price.perMillion("1", "3"))
        .alias("smart", Route.to("stub/big").downgradeTo("cheap"))
        .alias("cheap", Route.to("stub/small"))
        .budgets(budgets);
  }

  Gateway gateway(Budgets budgets) {
    return gateway(budgets, b -> b);
  }

  Gateway gateway(Budgets budgets, UnaryOperator<GatewayBuilder> more) {
    Gateway g = more.apply(builder(budgets)).build();
    gateways.add(g);
    return g;
  }

  /** A request for {@code model} with one user message and an output limit. */
  static ChatRequest ask(String model, String text, int maxOutputTokens) {
    return ChatRequest.builder(model).user(text).maxOutputTokens(maxOutputTokens).build();
  }

  static ChatRequest critical(ChatRequest request) {
    return request.toBuilder().options(request.options().withCritical(true)).build();
  }

  static ChatRequest withOptions(ChatRequest request, RequestOptions options) {
    return request.toBuilder().options(options).build();
  }

  /** Spends {@code nanos} on {@code budget}'s counter for {@code principal} now, as a settled call. */
  void spend(Budget budget, Principal principal, long nanos) {
    BudgetCounter counter = budget.counter(BudgetCounter.tenantOf(principal),
        budget.scope().idOf(principal), clock.instant());
    store.settle("seed-" + System.nanoTime(), List.of(counter), nanos, clock.instant());
  }

  BudgetBalance balance(Budget budget, Principal principal) {
    BudgetCounter counter = budget.counter(BudgetCounter.tenantOf(principal),
        budget.scope().idOf(principal), clock.instant());
    return store.balances(List.of(counter), clock.instant()).get(0);
  }

  /** The sum of the records' costs, in nano-dollars, each rounded up as the budgets charge it. */
  long recordedNanos() {
    long sum = 0;
    for (var r : records.records()) {
      BigDecimal cost = r.cost();
      sum += cost == null ? 0 : Budget.toNanos(cost);
    }
    return sum;
  }

  @Override
  public void close() {
    gateways.forEach(Gateway::close);
  }
}
