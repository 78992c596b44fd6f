package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.policy.InjectionPolicy;
import dev.llmgateway.core.policy.PiiPolicy;
import dev.llmgateway.core.policy.Policies;
import dev.llmgateway.core.policy.PolicySet;
import dev.llmgateway.core.policy.content.ContentFilter;
import dev.llmgateway.core.policy.injection.InjectionScanner;
import dev.llmgateway.core.policy.pii.PiiScanner;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeProvider;
import java.util.List;
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
 * What the policies cost per call, over the {@link FakeProvider}: the 1 KB prompts of {@link
 * FullChain#prompt(int)} (five PII values each), answered with the prompt as the provider received
 * it, so the answer carries the five placeholders back to be restored.
 *
 * <ul>
 *   <li>{@code chat} per {@code arm}: {@code none} (no policies), {@code pii} (redaction and
 *       restoration, the answer scanned for secrets), {@code injection} (the scan of the user's
 *       message), {@code all} (both). The difference to {@code none} is the policies' cost.
 *   <li>{@code scanPii} and {@code scanInjection}: the scanners alone on the same 1 KB texts (the
 *       arm does not matter to them: run them with {@code -p arm=none}).
 *   <li>{@code filterContent}: the full chain's content filter ({@link FullChain#policies()}: one
 *       category of three phrases) alone on the same texts, as it checks a prompt or an answer.
 * </ul>
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar PolicyBenchmark -prof gc
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PolicyBenchmark {
  @Param({"none", "pii", "injection", "all"})
  public String arm;

  private Gateway gateway;
  private ChatRequest[] requests;
  private String[] prompts;
  private final AtomicInteger next = new AtomicInteger();
  private final PiiScanner pii = PiiScanner.defaults();
  private final InjectionScanner injection = InjectionScanner.defaults();
  private final ContentFilter filter = ContentFilter.builder()
      .category("weapons", List.of("pipe bomb", "nerve agent", "build a bomb")).build();

  @Setup(Level.Trial)
  public void setUp() {
    FakeProvider fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(ChatRequest::lastUserText);
    requests = FullChain.requests("m");
    prompts = new String[FullChain.REQUESTS];
    for (int i = 0; i < prompts.length; i++) {
      prompts[i] = FullChain.prompt(i);
    }
    GatewayBuilder builder = Gateway.builder().provider(fake)
        .alias("m", Route.to("fake/m"));
    PolicySet.Builder set = PolicySet.builder();
    if (arm.equals("pii") || arm.equals("all")) {
      set.pii(PiiPolicy.defaults());
    }
    if (arm.equals("injection") || arm.equals("all")) {
      set.injection(InjectionPolicy.defaults());
    }
    if (!arm.equals("none")) {
      builder.policies(Policies.of(set.build()));
    }
    gateway = builder.build();
    ChatResponse check = gateway.chat(requests[0]);
    if (!check.text().equals(FullChain.prompt(0))) {
      throw new IllegalStateException("the answer was not restored to the prompt");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
  }

  @Benchmark
  public ChatResponse chat() {
    return gateway.chat(FullChain.next(requests, next.getAndIncrement()));
  }

  @Benchmark
  public Object scanPii() {
    return pii.scan(FullChain.next(prompts, next.getAndIncrement()));
  }

  @Benchmark
  public Object scanInjection() {
    return injection.scan(FullChain.next(prompts, next.getAndIncrement()));
  }

  @Benchmark
  public Object filterContent() {
    return filter.check(FullChain.next(prompts, next.getAndIncrement()));
  }
}
