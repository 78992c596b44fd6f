package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.otel.GenAiTelemetry;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * OpenTelemetry: one call that fails over from OpenAI (a 429) to Azure OpenAI, traced under the
 * application's own span, exported to the logging exporter (standard error) and printed as a trace
 * tree with the metric names it recorded. Offline: both providers are wire mocks on this machine,
 * each request carrying its attempt's {@code traceparent}.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.OpenTelemetryExample}
 */
public final class OpenTelemetryExample {
  private OpenTelemetryExample() {}

  @SuppressWarnings("try") // the scope is held for its effect, never read
  public static void main(String[] args) {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()))
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();

    try (OpenAiMockServer openAi = OpenAiMockServer.start();
        OpenAiMockServer azure = OpenAiMockServer.startAzure();
        Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
            .provider(OpenAiPresets.openAi().baseUrl(openAi.baseUrl()).apiKey("sk-demo").build())
            .provider(OpenAiPresets.azure(azure.baseUrl(), OpenAiPresets.AZURE_API_VERSION)
                .apiKey("az-demo").build())
            .alias("smart", Route.fallback("openai/gpt-4.1", "azure/gpt-4.1"))
            .price("openai/gpt-4.1", Price.perMillion("2", "8"))
            .price("azure/gpt-4.1", Price.perMillion("2", "8"))
            .listener(GenAiTelemetry.create(sdk).listener())
            .build()) {
      openAi.error(MockError.RATE_LIMITED);
      azure.servedModel("gpt-4.1-2025-04-14").replyText("Paris.", Usage.of(14, 2));

      Span request = sdk.getTracer("my-app").spanBuilder("GET /ask").startSpan();
      ChatResponse answer;
      try (Scope ignored = request.makeCurrent()) {
        answer = gateway.chat(ChatRequest.of("smart", "Capital of France?"),
            Principal.of("search-team", "user-7"));
      } finally {
        request.end();
      }
      System.out.println("answer: " + answer.text());
      System.out.println("traceparent sent to OpenAI: "
          + (openAi.takeRequest().header("traceparent") != null));
      System.out.println("traceparent sent to Azure:  "
          + (azure.takeRequest().header("traceparent") != null));
    }

    System.out.println();
    printTree(spans.getFinishedSpanItems());
    System.out.println();
    TreeSet<String> names = new TreeSet<>();
    for (MetricData m : metrics.collectAllMetrics()) {
      names.add(m.getName() + " (" + m.getData().getPoints().size() + " points)");
    }
    System.out.println("metrics: " + String.join(", ", names));
    sdk.close();
  }

  /** The spans as a tree, each with the attributes an operator reads first. */
  static void printTree(List<SpanData> spans) {
    List<SpanData> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    for (SpanData root : sorted) {
      if (!root.getParentSpanContext().isValid()) {
        print(root, sorted, "", "");
      }
    }
  }

  private static void print(SpanData span, List<SpanData> all, String lead, String childLead) {
    System.out.println(lead + span.getName() + "  " + span.getKind().name().toLowerCase(Locale.ROOT)
        + describe(span));
    List<SpanData> children = all.stream()
        .filter(s -> s.getParentSpanId().equals(span.getSpanId())).toList();
    for (int i = 0; i < children.size(); i++) {
      boolean last = i == children.size() - 1;
      print(children.get(i), all, childLead + (last ? "└─ " : "├─ "),
          childLead + (last ? "   " : "│  "));
    }
  }

  private static String describe(SpanData span) {
    StringBuilder s = new StringBuilder();
    for (String key : List.of("gen_ai.provider.name", "gen_ai.response.model",
        "llm_gateway.attempt.kind", "llm_gateway.outcome", "error.type",
        "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "llm_gateway.team",
        "llm_gateway.deployment", "llm_gateway.cost_usd")) {
      Object value = span.getAttributes().asMap().entrySet().stream()
          .filter(e -> e.getKey().getKey().equals(key)).map(e -> e.getValue()).findFirst()
          .orElse(null);
      if (value != null) {
        s.append("  ").append(key).append('=').append(value instanceof Double d
            ? BigDecimal.valueOf(d).toPlainString() : value);
      }
    }
    if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
      s.append("  status=ERROR");
    }
    return s.toString();
  }
}
