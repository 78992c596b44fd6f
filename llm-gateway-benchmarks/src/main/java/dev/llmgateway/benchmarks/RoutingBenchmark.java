package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.testing.FakeProvider;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one routing decision costs: ten rules over twenty deployments. One gateway over the {@link
 * FakeProvider} with {@value #DEPLOYMENTS} priced deployments {@code fake/model-01} … {@code
 * fake/model-20} and the alias {@value #ALIAS}, a rules route of ten rules — keywords, a pattern,
 * a code block, an input size, a tag, a metadata value, a team, and compositions with {@code and},
 * {@code or}, {@code negate}, {@code allOf} and {@code anyOf} — whose first nine the request does
 * not match and whose tenth sends it to {@code Route.cheapest(...)} over all twenty deployments
 * ({@code otherwise}: {@code Route.healthiest(...)} over the twenty). The request (a system and a
 * user message, a tag and a metadata value, called by a principal of team {@code search}) is the
 * same on every call.
 *
 * <ul>
 *   <li>{@code alias}: the request names {@value #ALIAS}: every rule evaluated, the cost of each
 *       of the twenty candidates estimated and sorted, each checked against its capabilities;
 *   <li>{@code deployment}: the same request on the same gateway naming the deployment the alias
 *       chooses ({@code fake/model-06}, the cheapest), so no routing decision is made;
 *   <li>{@code direct}: {@code fake.chat(request, attempt)}, the floor, as in {@link
 *       ChainOverheadBenchmark}.
 * </ul>
 *
 * {@code alias} − {@code deployment} is the routing decision's cost, in time and ({@code -prof
 * gc}) in bytes. Setup checks that the alias sends the request to the deployment of the {@code
 * deployment} arm by its tenth rule.
 *
 * <p>Run from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar RoutingBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RoutingBenchmark {
  /** The alias of the {@code alias} arm. */
  public static final String ALIAS = "auto";
  /** How many deployments the gateway has, all candidates of the alias's last two targets. */
  public static final int DEPLOYMENTS = 20;
  /** The deployment the alias chooses: the cheapest. */
  public static final String CHOSEN = "fake/model-06";

  @Param({"direct", "deployment", "alias"})
  public String target;

  private FakeProvider fake;
  private Gateway gateway;
  private ChatRequest request;
  private Deployment deployment;
  private Principal caller;

  @Setup(Level.Trial)
  public void setUp() {
    fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    String[] names = new String[DEPLOYMENTS];
    GatewayBuilder builder = Gateway.builder().provider(fake);
    for (int i = 0; i < DEPLOYMENTS; i++) {
      names[i] = String.format("fake/model-%02d", i + 1);
      // prices 0.1 to 2.0 (input) in no particular order: a permutation of 1..20 (7 and 20 are
      // coprime) in which model-06 (i = 5) gets 1, the cheapest
      int rank = 1 + 7 * (i + 15) % DEPLOYMENTS;
      builder.price(names[i], Price.perMillion(BigDecimal.valueOf(rank, 1),
          BigDecimal.valueOf(4L * rank, 1)));
    }
    String[] others = Arrays.copyOfRange(names, 1, DEPLOYMENTS);
    builder.alias(ALIAS, Route.rules()
        .when("reasoning", Condition.keywords("prove", "step by step", "derive", "theorem"),
            names[0])
        .when("sql", Condition.pattern("(?i)\\b(select|update|delete)\\b.+\\bfrom\\b"), names[1])
        .when("code", Condition.codeBlock(), names[2])
        .when("long", Condition.inputTokensAbove(8_000), names[3])
        .when("batch", Condition.tag("batch"), names[4])
        .when("premium", Condition.metadata("tier", "premium"), names[5])
        .when("research", Condition.team("research", "science"), names[6])
        .when("translation", Condition.keywords("translate", "traduis")
            .and(Condition.metadata("lang", "fr").or(Condition.metadata("lang", "de"))),
            names[7])
        .when("code-team", Condition.anyOf(Condition.codeBlock(), Condition.pattern("^/\\w+"))
            .and(Condition.team("platform")), names[8])
        .when("interactive", Condition.allOf(Condition.team("search"),
            Condition.tag("interactive"), Condition.inputTokensAbove(4_000).negate()),
            Route.cheapest(names[0], others))
        .otherwise(Route.healthiest(names[0], others)));
    gateway = builder.build();
    request = ConfigScale.request(target.equals("alias") ? ALIAS : CHOSEN);
    deployment = Deployment.parse(CHOSEN);
    caller = Principal.builder().org("acme").team("search").user("user-1").keyId("key-1")
        .build();
    ChatResponse check = chat();
    if (!target.equals("direct")) {
      if (!deployment.equals(check.deployment())) {
        throw new IllegalStateException(target + " went to " + check.deployment() + ", not "
            + CHOSEN);
      }
      if (target.equals("alias")
          && !String.valueOf(check.routing()).contains("rule 'interactive'")) {
        throw new IllegalStateException("the alias did not route by its tenth rule: "
            + check.routing());
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    fake.close();
  }

  @Benchmark
  public ChatResponse chat() {
    if (target.equals("direct")) {
      return fake.chat(request.withModel(deployment.model()),
          new AttemptContext("bench", deployment, 1, AttemptContext.NO_DEADLINE));
    }
    return gateway.chat(request, caller);
  }
}
