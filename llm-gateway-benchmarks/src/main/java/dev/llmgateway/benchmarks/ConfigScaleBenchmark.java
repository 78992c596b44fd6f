package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.testing.FakeProvider;
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
 * What one call's routing costs as the configuration grows: a gateway of {@code size} = 10, 100
 * and 1,000 deployments, aliases and rules ({@link ConfigScale}: every deployment priced, every
 * alias a rules route, the alias the call uses holding {@code size} rules of ten kinds of which
 * the request matches only the last, which sends it to {@code Route.cheapest} over at most
 * {@value ConfigScale#ROUTE_CANDIDATES} of the deployments). One gateway over the {@link
 * FakeProvider}; the same request on every call, by a principal of team {@value
 * ConfigScale#TEAM} (authenticated by the host application). No admission step (rate limits,
 * budgets) exists yet, so admission is the principal being taken as given.
 *
 * <ul>
 *   <li>{@code alias}: the request names {@value ConfigScale#ALIAS}: the alias looked up among
 *       {@code size}, all {@code size} rules evaluated, the cost of each candidate estimated and
 *       sorted, each checked against its capabilities;
 *   <li>{@code short-alias}: the same gateway, the request names {@value ConfigScale#SHORT_ALIAS}:
 *       {@value ConfigScale#SHORT_RULES} rules (the first nine of {@value ConfigScale#ALIAS}'s and
 *       its last) to the same route, so only the number of rules walked differs from {@code
 *       alias};
 *   <li>{@code deployment}: the same request on the same gateway naming the deployment the aliases
 *       choose ({@link ConfigScale#chosen}), so no routing decision is made.
 * </ul>
 *
 * {@code alias} − {@code deployment} is the routing decision's cost at each size, in time and
 * ({@code -prof gc}) in bytes; {@code short-alias} − {@code deployment} is what it costs when only
 * the gateway grows and the rules walked do not. Setup checks that each arm's call goes to {@link
 * ConfigScale#chosen}, the alias arms by their last rule, and fails the trial if not.
 *
 * <p>Run from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar ConfigScaleBenchmark -jvm java -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ConfigScaleBenchmark {
  @Param({"10", "100", "1000"})
  public int size;

  @Param({"deployment", "short-alias", "alias"})
  public String target;

  private FakeProvider fake;
  private Gateway gateway;
  private ChatRequest request;
  private Principal caller;

  @Setup(Level.Trial)
  public void setUp() {
    fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    gateway = ConfigScale.configure(Gateway.builder().provider(fake), size).build();
    String model;
    switch (target) {
      case "alias":
        model = ConfigScale.ALIAS;
        break;
      case "short-alias":
        model = ConfigScale.SHORT_ALIAS;
        break;
      case "deployment":
        model = ConfigScale.chosen(size);
        break;
      default:
        throw new IllegalArgumentException("unknown target " + target);
    }
    request = ConfigScale.request(model);
    caller = ConfigScale.caller();
    ConfigScale.check(chat(), model, size);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    fake.close();
  }

  @Benchmark
  public ChatResponse chat() {
    return gateway.chat(request, caller);
  }
}
