package dev.llmgateway.benchmarks;

import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.testing.FakeProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
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
 * What the gateway's chain costs in memory and CPU, without a network: a call through the gateway
 * over the {@link FakeProvider} against calling the fake provider directly, unary ({@code chat})
 * and streamed then collected ({@code streamCollect}).
 *
 * <ul>
 *   <li>{@code direct}: {@code fake.chat(request, attempt)}, the floor;
 *   <li>{@code gateway-empty}: a gateway with one provider and nothing configured;
 *   <li>{@code gateway-full}: every capability that exists, configured as a production user
 *       would ({@link FullChain}). Each capability that lands adds itself there.
 * </ul>
 *
 * <p>Every arm cycles through the same {@value FullChain#REQUESTS} distinct requests ({@link
 * FullChain#requests}), so that every call of {@code gateway-full} misses its response cache; the
 * trial fails if one hit it or had no cost ({@link FullChain.Tally}).
 *
 * Run from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar ChainOverhead -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChainOverheadBenchmark {
  /**
   * {@code gateway-governed}: {@code gateway-full} without the input and output policies (the load
   * runner's arm B1).
   */
  @Param({"direct", "gateway-empty", "gateway-governed", "gateway-full"})
  public String target;

  private FakeProvider fake;
  private Gateway gateway;
  private ChatRequest[] requests;
  /** Shared by the benchmark's threads ({@code -t N}): no two calls send the same request. */
  private final AtomicInteger next = new AtomicInteger();
  private Deployment deployment;
  private Caller caller;
  private FullChain.@Nullable Tally tally;
  private FullChain.@Nullable UsageFiles usageFiles;

  @Setup(Level.Trial)
  public void setUp() {
    fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    requests = FullChain.requests(FullChain.ALIAS);
    deployment = new Deployment("fake", "gpt-4.1-mini");
    caller = FullChain.caller();
    GatewayBuilder builder = Gateway.builder().provider(fake);
    if (target.startsWith("gateway-") && !target.equals("gateway-empty")) {
      tally = new FullChain.Tally();
      usageFiles = FullChain.UsageFiles.create();
      FullChain.configure(builder, "fake/gpt-4.1-mini", "fake/gpt-4.1", tally, usageFiles,
          target.equals("gateway-full"));
    } else {
      builder.alias(FullChain.ALIAS, Route.fallback("fake/gpt-4.1-mini", "fake/gpt-4.1"));
    }
    gateway = builder.build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    if (usageFiles != null) {
      usageFiles.close();
    }
    if (tally != null) {
      tally.checkEveryCallMissedAndWasPriced(target);
    }
  }

  @Benchmark
  public ChatResponse chat() {
    ChatRequest request = FullChain.next(requests, next.getAndIncrement());
    switch (target) {
      case "direct":
        return fake.chat(request.withModel(deployment.model()),
            new AttemptContext("bench", deployment, 1, AttemptContext.NO_DEADLINE));
      case "gateway-full", "gateway-governed":
        return gateway.chat(request, caller);
      default:
        return gateway.chat(request);
    }
  }

  /** The same call streamed and collected (the fake delivers events on its own threads). */
  @Benchmark
  public ChatResponse streamCollect() {
    ChatRequest request = FullChain.next(requests, next.getAndIncrement());
    switch (target) {
      case "direct":
        return ChatStream.of(fake.stream(request.withModel(deployment.model()),
            new AttemptContext("bench", deployment, 1, AttemptContext.NO_DEADLINE))).collect();
      case "gateway-full", "gateway-governed":
        return gateway.stream(request, caller).collect();
      default:
        return gateway.stream(request).collect();
    }
  }
}
