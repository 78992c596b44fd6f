package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What admission costs per call with the in-memory stores: one gateway call over the {@link
 * FakeProvider} per {@code arm} — {@code none} (no limits, no budget), {@code limits} (a team's
 * requests per minute, an org's tokens per minute — the request's input counted by jtokkit, since
 * the model is {@code gpt-4.1-mini} — and a key's calls in flight: one store acquire at
 * admission, one settle at the end), {@code budget} (a team's monthly budget: one balance read at
 * admission, a reservation after the plan, a settle at the end) and {@code both}. The difference
 * to {@code none} is the admission's cost. Every thread calls as the same principal, so at 16
 * threads ({@code -t 16}) they all count on the same counters: the contended case. The limits and
 * the budget are never reached.
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar AdmissionBenchmark -prof gc
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar AdmissionBenchmark -t 16
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AdmissionBenchmark {
  @Param({"none", "limits", "budget", "both"})
  public String arm;

  private Gateway gateway;
  private ChatRequest[] requests;
  private final AtomicInteger next = new AtomicInteger();
  private final Principal caller = Principal.builder().org("acme").team("support")
      .user("user-1").keyId("key-1").build();

  @Setup(Level.Trial)
  public void setUp() {
    FakeProvider fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    requests = FullChain.requests("gpt-4.1-mini");
    GatewayBuilder builder = Gateway.builder().provider(fake)
        .alias("gpt-4.1-mini", Route.to("fake/gpt-4.1-mini"))
        .price("fake/gpt-4.1-mini", Price.perMillion("0.40", "1.60"));
    if (arm.equals("limits") || arm.equals("both")) {
      builder.rateLimits(limits());
    }
    if (arm.equals("budget") || arm.equals("both")) {
      builder.budgets(budgets());
    }
    gateway = builder.build();
  }

  /** Limits never reached: a team's requests per minute, an org's tokens, a key's calls at once. */
  static RateLimits limits() {
    return RateLimits.builder()
        .limit(RateLimit.requestsPerMinute(RateLimit.MAX_LIMIT).perTeam())
        .limit(RateLimit.tokensPerMinute(RateLimit.MAX_LIMIT).perOrg())
        .limit(RateLimit.concurrent(100_000).perKey())
        .build();
  }

  /** A team's monthly budget never reached. */
  static Budgets budgets() {
    return Budgets.builder()
        .budget(Budget.perId("team-monthly", Scope.TEAM, "1000000000"))
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
  }

  @Benchmark
  public ChatResponse chat() {
    return gateway.chat(FullChain.next(requests, next.getAndIncrement()), caller);
  }
}
