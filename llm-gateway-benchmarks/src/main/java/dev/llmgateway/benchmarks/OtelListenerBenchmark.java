package dev.llmgateway.benchmarks;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.Principal;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.otel.GenAiTelemetry;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.ProviderIdentity;
import dev.llmgateway.testing.FakeProvider;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
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
 * What the OpenTelemetry listener costs: {@code callbacks} runs one call's worth of the listener's
 * own callbacks (call start, attempt start with its request, attempt end with its answer, call
 * end) on prepared events, so {@code -prof gc} shows the listener's bytes alone; {@code chat} is a
 * whole gateway call over the {@link FakeProvider}. {@code api} picks the listener: {@code none}
 * (no listener: {@code GatewayListener.NONE} for {@code callbacks}), {@code noop} ({@code
 * GenAiTelemetry} over {@code OpenTelemetry.noop()}, what an application without an SDK gets: it
 * must allocate nothing) and {@code sdk} (the real SDK: every span sampled and handed to an exporter
 * that keeps a count in memory through a {@code SimpleSpanProcessor}, metrics aggregated by an
 * in-memory reader).
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar OtelListenerBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OtelListenerBenchmark {
  @Param({"none", "noop", "sdk"})
  public String api;

  private GatewayListener listener;
  private Gateway gateway;
  private ChatRequest[] requests;
  private final AtomicInteger next = new AtomicInteger();
  private final LongAdder exported = new LongAdder();
  private @Nullable OpenTelemetrySdk sdk;
  private Call call;
  private AttemptContext attempt;
  private ChatRequest request;
  private Attempt ended;
  private ChatResponse answer;
  private UsageRecord record;

  @Setup(Level.Trial)
  public void setUp() {
    OpenTelemetry otel = OpenTelemetry.noop();
    if (api.equals("sdk")) {
      sdk = OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder()
              .addSpanProcessor(SimpleSpanProcessor.create(new CountingExporter(exported)))
              .build())
          .setMeterProvider(SdkMeterProvider.builder()
              .registerMetricReader(InMemoryMetricReader.create()).build())
          .build();
      otel = sdk;
    }
    listener = api.equals("none") ? GatewayListener.NONE
        : GenAiTelemetry.create(otel).listener();

    FakeProvider fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    requests = FullChain.requests(FullChain.ALIAS);
    GatewayBuilder builder = Gateway.builder().provider(fake)
        .alias(FullChain.ALIAS, Route.fallback("fake/gpt-4.1-mini", "fake/gpt-4.1"));
    if (!api.equals("none")) {
      builder.listener(listener);
    }
    gateway = builder.build();

    Deployment deployment = new Deployment("openai", "gpt-4.1-mini");
    call = new Call();
    attempt = new AttemptContext("c-1", deployment, 1, AttemptContext.NO_DEADLINE, null,
        new ProviderIdentity("openai", "api.openai.com", 443));
    request = ChatRequest.builder(FullChain.ALIAS).user("Hello").maxOutputTokens(100).build();
    Usage usage = Usage.of(12, 9);
    answer = ChatResponse.builder().text("Hello! How can I help you today?").usage(usage)
        .deployment(deployment).servedModel("gpt-4.1-mini-2025-04-14").build();
    ended = new Attempt(1, deployment, Attempt.Outcome.SUCCEEDED, 200, Duration.ofMillis(3),
        null, null, usage);
    record = new UsageRecord("c-1", Instant.EPOCH, CallKind.CHAT, call.principal,
        FullChain.ALIAS, deployment, "gpt-4.1-mini-2025-04-14", List.of(ended), usage,
        new BigDecimal("0.0000192"), Duration.ofMillis(4), null, UsageRecord.Outcome.SUCCEEDED,
        null, Set.of(), false,
        new RoutingDecision(List.of("alias " + FullChain.ALIAS), null, List.of(deployment),
            List.of(), false));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    if (sdk != null) {
      sdk.close();
      System.out.println(api + ": exported " + exported.sum() + " spans");
    }
  }

  /** One call's worth of the listener's callbacks, on prepared events. */
  @Benchmark
  public Object callbacks() {
    call.trace = null;
    listener.onCallStart(call);
    listener.onAttemptStart(call, attempt, request);
    listener.onAttemptEnd(call, attempt, ended, answer);
    listener.onCallEnd(call, record);
    return call.trace;
  }

  /** A whole gateway call, with or without the listener. */
  @Benchmark
  public ChatResponse chat() {
    return gateway.chat(FullChain.next(requests, next.getAndIncrement()));
  }

  /** A call context holding the one tag the listener keeps, as the gateway's does. */
  private static final class Call implements CallContext {
    final Principal principal = Principal.of("team-a", "user-1");
    @Nullable Object trace;

    @Override
    public String callId() {
      return "c-1";
    }

    @Override
    public CallKind kind() {
      return CallKind.CHAT;
    }

    @Override
    public Caller caller() {
      return principal;
    }

    @Override
    public @Nullable Principal principal() {
      return principal;
    }

    @Override
    public void principal(Principal principal) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String requestedModel() {
      return FullChain.ALIAS;
    }

    @Override
    public long startNanos() {
      return 0;
    }

    @Override
    public long deadlineNanos() {
      return AttemptContext.NO_DEADLINE;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> @Nullable T tag(Class<? extends T> type) {
      return (T) trace;
    }

    @Override
    public <T> void tag(Class<T> type, @Nullable T value) {
      trace = value;
    }
  }

  /** Keeps a count of what it is handed, in memory; nothing else. */
  private static final class CountingExporter implements SpanExporter {
    private final LongAdder count;

    CountingExporter(LongAdder count) {
      this.count = count;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      count.add(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
