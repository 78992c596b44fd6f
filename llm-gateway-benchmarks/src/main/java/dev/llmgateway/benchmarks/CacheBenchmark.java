package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
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
 * What a response-cache hit costs against the provider call it saves, over the {@link
 * FakeProvider}: the same request on every call, unary ({@code chat}) and streamed then collected
 * ({@code streamCollect}; a hit is the cached answer replayed as events).
 *
 * <ul>
 *   <li>{@code direct}: {@code fake.chat(request, attempt)}, the floor, as in {@link
 *       ChainOverheadBenchmark};
 *   <li>{@code gateway-no-cache}: a gateway with one provider and an alias with a fallback route
 *       (the {@code gateway-empty} arm of {@link ChainOverheadBenchmark}): every call goes through
 *       the chain to the provider;
 *   <li>{@code gateway-cache-hit}: the same gateway with {@link ResponseCache#defaults()}, the
 *       request's answer cached in setup: every call is a hit and calls no provider.
 * </ul>
 *
 * The fake answers at once, so {@code gateway-cache-hit} against {@code gateway-no-cache} is what a
 * hit saves in the gateway itself (routing, the attempt, its story and metering, less the lookup),
 * not the network and the model's time a real hit saves. Setup checks that the second call of the
 * cached gateway is a hit; teardown fails the trial if the provider was called more than the once
 * that filled the cache.
 *
 * <p>Run from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar CacheBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CacheBenchmark {
  @Param({"direct", "gateway-no-cache", "gateway-cache-hit"})
  public String target;

  private FakeProvider fake;
  private Gateway gateway;
  private ChatRequest request;
  private Deployment deployment;
  private boolean cached;

  @Setup(Level.Trial)
  public void setUp() {
    cached = target.equals("gateway-cache-hit");
    // only the cached arm records calls: it makes one, the others millions
    fake = FakeProvider.builder().name("fake").recordCalls(cached).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    request = ChatRequest.builder("smart")
        .system("You are a helpful assistant.")
        .user("Say hello.")
        .maxOutputTokens(64)
        .build();
    deployment = new Deployment("fake", "gpt-4.1-mini");
    GatewayBuilder builder = Gateway.builder().provider(fake)
        .alias("smart", Route.fallback("fake/gpt-4.1-mini", "fake/gpt-4.1"));
    if (cached) {
      builder.cache(ResponseCache.defaults());
    }
    gateway = builder.build();
    if (cached) {
      ChatResponse first = gateway.chat(request);
      ChatResponse second = gateway.chat(request);
      if (first.cacheHit() || !second.cacheHit() || fake.callCount() != 1) {
        throw new IllegalStateException("the cache did not answer the second call: hits "
            + first.cacheHit() + ", " + second.cacheHit() + "; provider calls "
            + fake.callCount());
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    if (cached && fake.callCount() != 1) {
      throw new IllegalStateException("the provider was called " + fake.callCount()
          + " times: calls of " + target + " missed the cache");
    }
    fake.close();
  }

  @Benchmark
  public ChatResponse chat() {
    if (target.equals("direct")) {
      return fake.chat(request.withModel(deployment.model()),
          new AttemptContext("bench", deployment, 1, AttemptContext.NO_DEADLINE));
    }
    return gateway.chat(request);
  }

  /** The same call streamed and collected; a hit replays the cached answer as events. */
  @Benchmark
  public ChatResponse streamCollect() {
    if (target.equals("direct")) {
      return ChatStream.of(fake.stream(request.withModel(deployment.model()),
          new AttemptContext("bench", deployment, 1, AttemptContext.NO_DEADLINE))).collect();
    }
    return gateway.stream(request).collect();
  }
}
