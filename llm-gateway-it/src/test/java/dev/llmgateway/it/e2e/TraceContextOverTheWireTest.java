package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.otel.GenAiTelemetry;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Trace context reaches the providers' HTTP requests: each attempt's request carries a W3C {@code
 * traceparent} naming that attempt's span, in the application's trace, through a failover from
 * OpenAI to Azure OpenAI over the wire mocks.
 */
@Timeout(60)
class TraceContextOverTheWireTest {
  @RegisterExtension
  static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private final OpenAiMockServer openAi = OpenAiMockServer.start();
  private final OpenAiMockServer azure = OpenAiMockServer.startAzure();

  @AfterEach
  void stop() {
    openAi.close();
    azure.close();
  }

  @Test
  @SuppressWarnings("try") // the scope is held for its effect, never read
  void eachAttemptsRequestCarriesATraceparentNamingItsOwnSpan() {
    openAi.error(MockError.RATE_LIMITED);
    azure.replyText("Paris", Usage.of(12, 1));
    Span app = otel.getOpenTelemetry().getTracer("app").spanBuilder("GET /ask").startSpan();
    try (Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
            .provider(OpenAiPresets.openAi().baseUrl(openAi.baseUrl()).apiKey("sk-test").build())
            .provider(OpenAiPresets.azure(azure.baseUrl(), OpenAiPresets.AZURE_API_VERSION)
                .apiKey("az-test").build())
            .alias("smart", Route.fallback("openai/gpt-4.1", "azure/gpt-4.1"))
            .listener(GenAiTelemetry.create(otel.getOpenTelemetry()).listener())
            .build();
        Scope ignored = app.makeCurrent()) {
      gateway.chat(ChatRequest.of("smart", "Capital of France?"), Principal.of("team", "u"));
    } finally {
      app.end();
    }

    MockRequest toOpenAi = openAi.takeRequest();
    MockRequest toAzure = azure.takeRequest();
    List<SpanData> attempts = otel.getSpans().stream()
        .filter(s -> s.getName().equals("chat gpt-4.1")).toList();
    assertThat(attempts).hasSize(2);
    SpanData first = attempt(attempts, 1);
    SpanData second = attempt(attempts, 2);
    assertThat(toOpenAi.header("traceparent")).isEqualTo(traceparent(first));
    assertThat(toAzure.header("traceparent")).isEqualTo(traceparent(second));
    assertThat(first.getTraceId()).isEqualTo(app.getSpanContext().getTraceId());
    assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
        .isEqualTo("openai");
    assertThat(second.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
        .as("the Azure preset's deployment URLs say Azure, whatever the host")
        .isEqualTo("azure.ai.openai");
    assertThat(first.getAttributes().get(AttributeKey.longKey("server.port")))
        .isEqualTo((long) URI.create(openAi.baseUrl()).getPort());
  }

  private static SpanData attempt(List<SpanData> attempts, long number) {
    return attempts.stream().filter(s -> s.getAttributes()
        .get(AttributeKey.longKey("llm_gateway.attempt.number")) == number).findFirst()
        .orElseThrow();
  }

  private static String traceparent(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
        + span.getSpanContext().getTraceFlags().asHex();
  }
}
