package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.spi.UsageSink;
import dev.llmgateway.testing.FakeProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
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
 * What metering costs the caller's thread per call: one gateway with nothing else configured over
 * the {@link FakeProvider}, with no usage sink ({@code none}); with a sink that only counts, handed
 * its records asynchronously ({@code count-async}: the caller puts the record in the sink's queue,
 * the sink's thread takes it), under the billing policy ({@code count-billing}) or inline ({@code
 * count-inline}); and with the JSON Lines file sink, asynchronous ({@code jsonl-async}) and inline
 * ({@code jsonl-inline}: the caller writes the line itself). The difference to {@code none} is the
 * per-call price of metering on the caller's thread. The benchmark calls far faster than a file
 * takes lines, so {@code jsonl-async}'s queue fills and drops (the counts are printed at the end
 * of each trial): read it as the price of a sink that cannot keep up, and {@code count-async} as the
 * normal case. Allocation per call ({@code -prof gc}) counts every thread's, the delivery
 * thread's too.
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar MeteringBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MeteringBenchmark {
  @Param({"none", "count-async", "count-billing", "count-inline", "jsonl-async", "jsonl-inline"})
  public String sink;

  private Gateway gateway;
  private ChatRequest[] requests;
  private final AtomicInteger next = new AtomicInteger();
  private final LongAdder counted = new LongAdder();
  private FullChain.@Nullable UsageFiles files;

  @Setup(Level.Trial)
  public void setUp() {
    FakeProvider fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    requests = FullChain.requests(FullChain.ALIAS);
    GatewayBuilder builder = Gateway.builder().provider(fake)
        .alias(FullChain.ALIAS, Route.fallback("fake/gpt-4.1-mini", "fake/gpt-4.1"));
    if (!sink.equals("none")) {
      files = FullChain.UsageFiles.create();
      UsageDelivery delivery = switch (sink) {
        case "count-billing" -> UsageDelivery.billing(files.directory().resolve("dead.jsonl"));
        case "count-inline", "jsonl-inline" -> UsageDelivery.inline();
        default -> UsageDelivery.defaults();
      };
      UsageSink target = sink.startsWith("count") ? r -> counted.increment() : files.sink();
      builder.usageSink(target, delivery);
    }
    gateway = builder.build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    System.out.println(sink + ": counted " + counted.sum() + ", " + gateway.usageDelivery());
    if (files != null) {
      files.close();
    }
  }

  @Benchmark
  public ChatResponse chat() {
    return gateway.chat(FullChain.next(requests, next.getAndIncrement()));
  }
}
