package dev.llmgateway.otel;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.access.AccessRule;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.spi.ProviderIdentity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Spans, their parents and attributes, and metric points for each way a call can go. */
@Timeout(60)
class GenAiTelemetryTest {
  @RegisterExtension
  static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private static final Principal TEAM_A = Principal.of("team-a", "user-1");
  private final NamedProvider openai = new NamedProvider("openai-eu",
      new ProviderIdentity("openai", "api.openai.com", 443));
  private final NamedProvider anthropic = new NamedProvider("claude",
      new ProviderIdentity("anthropic", "api.anthropic.com", 443));
  private Gateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private Gateway gateway(Consumer<GatewayBuilder> settings) {
    GatewayBuilder b = Gateway.builder().provider(openai).provider(anthropic)
        .listener(GenAiTelemetry.create(otel.getOpenTelemetry()).listener())
        .price("openai-eu/gpt-4o", Price.perMillion("2.50", "10"))
        .price("claude/claude-sonnet-4-5", Price.perMillion("3", "15"));
    settings.accept(b);
    gateway = b.build();
    return gateway;
  }

  @Test
  @SuppressWarnings("try") // the scope is held for its effect, never read
  void aSuccessfulCallIsAnInternalCallSpanUnderTheAppsSpanOverOneClientAttemptSpan() {
    openai.fake.on("gpt-4o").reply(ChatResponse.builder().text("Paris")
        .usage(new Usage(120, 8, 100, 0, 3, false)).servedModel("gpt-4o-2024-08-06").build());
    gateway(b -> b.alias("smart", Route.split(StickyKey.none(),
        Variant.of("a", 1, "openai-eu/gpt-4o"), Variant.of("b", 1, "openai-eu/gpt-4o"))));

    Span app = otel.getOpenTelemetry().getTracer("app").spanBuilder("handle request").startSpan();
    try (Scope ignored = app.makeCurrent()) {
      gateway.chat(ChatRequest.builder("smart").user("Capital of France?").maxOutputTokens(50)
          .temperature(0.2).topP(0.9).build(), TEAM_A);
    } finally {
      app.end();
    }

    SpanData call = span("llm_gateway smart");
    SpanData attempt = span("chat gpt-4o");
    assertThat(call).hasKind(SpanKind.INTERNAL).hasParentSpanId(app.getSpanContext().getSpanId())
        .hasAttribute(AttributeKey.stringKey("llm_gateway.alias"), "smart")
        .hasAttribute(AttributeKey.stringKey("llm_gateway.team"), "team-a")
        .hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "succeeded")
        .hasAttribute(AttributeKey.booleanKey("llm_gateway.cache_hit"), false)
        .hasAttribute(AttributeKey.stringKey("llm_gateway.deployment"), "openai-eu/gpt-4o");
    String variant = call.getAttributes().get(AttributeKey.stringKey("llm_gateway.variant"));
    assertThat(variant).isIn("a", "b");
    assertThat(call.getAttributes().get(AttributeKey.stringKey("llm_gateway.decision")))
        .contains("alias smart", "variant " + variant);
    assertThat(call.getAttributes().get(AttributeKey.doubleKey("llm_gateway.cost_usd")))
        .isPositive();
    assertThat(call.getAttributes().get(AttributeKey.stringKey("gen_ai.usage.input_tokens")))
        .isNull();
    assertThat(call.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .as("only attempt spans carry usage").isNull();
    assertThat(attempt).hasKind(SpanKind.CLIENT).hasParentSpanId(call.getSpanId())
        .hasTraceId(app.getSpanContext().getTraceId())
        .hasAttribute(AttributeKey.stringKey("gen_ai.operation.name"), "chat")
        .hasAttribute(AttributeKey.stringKey("gen_ai.provider.name"), "openai")
        .hasAttribute(AttributeKey.stringKey("gen_ai.request.model"), "gpt-4o")
        .hasAttribute(AttributeKey.stringKey("gen_ai.response.model"), "gpt-4o-2024-08-06")
        .hasAttribute(AttributeKey.longKey("gen_ai.request.max_tokens"), 50L)
        .hasAttribute(AttributeKey.doubleKey("gen_ai.request.temperature"), 0.2)
        .hasAttribute(AttributeKey.doubleKey("gen_ai.request.top_p"), 0.9)
        .hasAttribute(AttributeKey.longKey("gen_ai.usage.input_tokens"), 120L)
        .hasAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), 8L)
        .hasAttribute(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"), 100L)
        .hasAttribute(AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens"), 3L)
        .hasAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"),
            List.of("stop"))
        .hasAttribute(AttributeKey.stringKey("server.address"), "api.openai.com")
        .hasAttribute(AttributeKey.longKey("server.port"), 443L)
        .hasAttribute(AttributeKey.longKey("llm_gateway.attempt.number"), 1L)
        .hasAttribute(AttributeKey.stringKey("llm_gateway.attempt.kind"), "first")
        .hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "succeeded");
    assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
        .as("content is off by default").isNull();
    assertThat(call.getInstrumentationScopeInfo().getSchemaUrl())
        .isEqualTo(GenAiConventions.SCHEMA_URL);

    String traceparent = openai.fake.lastCall().headers().get("traceparent");
    assertThat(traceparent).isEqualTo("00-" + attempt.getTraceId() + "-" + attempt.getSpanId()
        + "-" + attempt.getSpanContext().getTraceFlags().asHex());
    assertThat(attempt.getSpanContext().getTraceFlags().isSampled()).isTrue();

    assertThat(histogram("gen_ai.client.token.usage")).extracting(HistogramPointData::getSum)
        .containsExactlyInAnyOrder(120.0, 8.0);
    HistogramPointData input = histogram("gen_ai.client.token.usage").stream()
        .filter(p -> "input".equals(p.getAttributes().get(AttributeKey.stringKey(
            "gen_ai.token.type")))).findFirst().orElseThrow();
    assertThat(input.getAttributes().asMap()).containsEntry(
        AttributeKey.stringKey("gen_ai.provider.name"), "openai").containsEntry(
        AttributeKey.stringKey("llm_gateway.team"), "team-a").containsEntry(
        AttributeKey.stringKey("llm_gateway.alias"), "smart").containsEntry(
        AttributeKey.stringKey("llm_gateway.variant"), variant);
    assertThat(input.getBoundaries()).containsExactlyElementsOf(
        GenAiConventions.TOKEN_USAGE_BUCKETS.stream().map(Long::doubleValue).toList());
    assertThat(histogram("gen_ai.client.operation.duration")).singleElement()
        .satisfies(p -> assertThat(p.getBoundaries())
            .containsExactlyElementsOf(GenAiConventions.DURATION_BUCKETS));
    assertThat(metric("llm_gateway.client.cost").getDoubleSumData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getValue()).isCloseTo(120 * 2.5e-6 + 8 * 10e-6,
            org.assertj.core.data.Offset.offset(1e-4)));
    assertThat(metricNames()).doesNotContain("llm_gateway.client.errors",
        "gen_ai.client.operation.time_to_first_chunk");
  }

  @Test
  void aFailoverEndsTheFirstAttemptInErrorAndTheSecondServesAsItsSibling() {
    openai.fake.on("gpt-4o").fail(new ProviderUnavailableException("down",
        ErrorDetails.NONE, null));
    anthropic.fake.on("claude-sonnet-4-5").reply("Paris");
    gateway(b -> b.alias("smart", Route.fallback("openai-eu/gpt-4o", "claude/claude-sonnet-4-5"))
        .retry(RetryPolicy.none()));

    gateway.chat(ChatRequest.of("smart", "Capital of France?"), TEAM_A);

    SpanData call = span("llm_gateway smart");
    SpanData failed = span("chat gpt-4o");
    SpanData served = span("chat claude-sonnet-4-5");
    assertThat(failed).hasParentSpanId(call.getSpanId())
        .hasAttribute(AttributeKey.stringKey("error.type"), "ProviderUnavailableException")
        .hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "failed");
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(served).hasParentSpanId(call.getSpanId())
        .hasAttribute(AttributeKey.stringKey("gen_ai.provider.name"), "anthropic")
        .hasAttribute(AttributeKey.longKey("llm_gateway.attempt.number"), 2L)
        .hasAttribute(AttributeKey.stringKey("llm_gateway.attempt.kind"), "failover");
    assertThat(call).hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "succeeded");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(anthropic.fake.lastCall().headers().get("traceparent"))
        .contains(served.getSpanId()).doesNotContain(failed.getSpanId());

    assertThat(histogram("gen_ai.client.operation.duration")).hasSize(2)
        .anySatisfy(p -> assertThat(p.getAttributes().get(AttributeKey.stringKey("error.type")))
            .isEqualTo("ProviderUnavailableException"))
        .anySatisfy(p -> assertThat(p.getAttributes().get(AttributeKey.stringKey(
            "gen_ai.provider.name"))).isEqualTo("anthropic"));
    assertThat(metricNames()).doesNotContain("llm_gateway.client.errors");
  }

  @Test
  void aHedgedCallsAttemptsAreSiblingsAndTheLoserEndsCancelledWithStatusUnset()
      throws Exception {
    CountDownLatch slow = new CountDownLatch(1);
    openai.fake.on("gpt-4o").pauseBeforeEvent(0, slow).reply("late");
    anthropic.fake.on("claude-sonnet-4-5").reply("Paris");
    gateway(b -> b.alias("hedged", Route.fallback("openai-eu/gpt-4o", "claude/claude-sonnet-4-5")
        .hedge(HedgePolicy.after(Duration.ofMillis(5)))));

    CompletableFuture<ChatResponse> answer = CompletableFuture.supplyAsync(
        () -> gateway.chat(ChatRequest.of("hedged", "Capital of France?"), TEAM_A));
    try {
      while (otel.getSpans().stream().noneMatch(s -> s.getName().equals("chat claude-sonnet-4-5"))
          && !answer.isDone()) {
        Thread.onSpinWait(); // the hedge has not ended yet
      }
    } finally {
      slow.countDown();
    }
    assertThat(answer.get(30, TimeUnit.SECONDS).text()).isEqualTo("Paris");

    SpanData call = span("llm_gateway hedged");
    SpanData loser = span("chat gpt-4o");
    SpanData winner = span("chat claude-sonnet-4-5");
    assertThat(loser).hasParentSpanId(call.getSpanId())
        .hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "cancelled");
    assertThat(loser.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(winner).hasParentSpanId(call.getSpanId())
        .hasAttribute(AttributeKey.stringKey("llm_gateway.attempt.kind"), "hedge")
        .hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "succeeded");
    assertThat(loser.getSpanId()).isNotEqualTo(winner.getSpanId());
  }

  @Test
  void aStreamMarksItsAttemptAsStreamingAndRecordsTimeToFirstChunk() {
    openai.fake.on("gpt-4o").stream("Par", "is");
    gateway(b -> b.alias("smart", Route.to("openai-eu/gpt-4o")));

    ChatStream stream = gateway.stream(ChatRequest.of("smart", "Capital of France?"), TEAM_A);
    assertThat(stream.collect().text()).isEqualTo("Paris");

    SpanData attempt = span("chat gpt-4o");
    assertThat(attempt).hasAttribute(AttributeKey.booleanKey("gen_ai.request.stream"), true);
    assertThat(attempt.getAttributes().get(AttributeKey.doubleKey(
        "gen_ai.response.time_to_first_chunk"))).isNotNull().isNotNegative();
    assertThat(histogram("gen_ai.client.operation.time_to_first_chunk")).singleElement()
        .satisfies(p -> assertThat(p.getCount()).isEqualTo(1))
        .satisfies(p -> assertThat(p.getAttributes().get(AttributeKey.stringKey(
            "gen_ai.provider.name"))).isEqualTo("openai"));
  }

  @Test
  void aStreamThatFailsAfterItsFirstChunkEndsTheCallInErrorAndCountsIt() {
    openai.fake.on("gpt-4o").streamThenFail(List.of("Par"), new ProviderUnavailableException(
        "cut", ErrorDetails.NONE, null));
    gateway(b -> b.alias("smart", Route.to("openai-eu/gpt-4o")));

    assertThatThrownBy(() -> gateway.stream(ChatRequest.of("smart", "Capital?"), TEAM_A)
        .collect()).isInstanceOf(ProviderUnavailableException.class);

    SpanData call = span("llm_gateway smart");
    assertThat(call).hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "stream_failed")
        .hasAttribute(AttributeKey.stringKey("error.type"), "ProviderUnavailableException");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span("chat gpt-4o").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(metric("llm_gateway.client.errors").getLongSumData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getAttributes().get(AttributeKey.stringKey(
            "llm_gateway.outcome"))).isEqualTo("stream_failed"));
  }

  @Test
  void anEmbeddingIsAnEmbeddingsAttemptSpan() {
    openai.fake.on("text-embedding-3-small").embedding(new float[] {0.1f, 0.2f});
    gateway(b -> b.alias("vectors", Route.to("openai-eu/text-embedding-3-small")));

    gateway.embed(EmbeddingRequest.of("vectors", "hello"), TEAM_A);

    assertThat(span("embeddings text-embedding-3-small")).hasKind(SpanKind.CLIENT)
        .hasAttribute(AttributeKey.stringKey("gen_ai.operation.name"), "embeddings")
        .hasParentSpanId(span("llm_gateway vectors").getSpanId());
  }

  @Test
  void aCacheHitIsACallSpanWithNoAttemptSpanAndNoTokens() {
    openai.fake.on("gpt-4o").reply("Paris");
    gateway(b -> b.alias("smart", Route.to("openai-eu/gpt-4o"))
        .cache(ResponseCache.builder().build()));
    gateway.chat(ChatRequest.of("smart", "Capital of France?"), TEAM_A);
    otel.clearSpans();
    otel.clearMetrics();

    gateway.chat(ChatRequest.of("smart", "Capital of France?"), TEAM_A);

    assertThat(otel.getSpans()).singleElement().satisfies(call -> assertThat(call)
        .hasName("llm_gateway smart")
        .hasAttribute(AttributeKey.booleanKey("llm_gateway.cache_hit"), true)
        .hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "succeeded"));
    assertThat(metricNames()).doesNotContain("gen_ai.client.token.usage",
        "gen_ai.client.operation.duration");
  }

  @Test
  void aRefusedCallIsAnErrorCallSpanNamingTheStepAndCountsAnError() {
    gateway(b -> b.alias("smart", Route.to("openai-eu/gpt-4o"))
        .access(AccessPolicy.builder().team("team-a", AccessRule.builder("no-smart")
            .denyAliases("smart").build()).build()));

    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("smart", "hi"), TEAM_A))
        .isInstanceOf(AccessDeniedException.class);

    assertThat(otel.getSpans()).singleElement().satisfies(call -> {
      assertThat(call).hasName("llm_gateway smart")
          .hasAttribute(AttributeKey.stringKey("llm_gateway.outcome"), "refused")
          .hasAttribute(AttributeKey.stringKey("llm_gateway.refusal"), "access")
          .hasAttribute(AttributeKey.stringKey("error.type"), "AccessDeniedException");
      assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    });
    assertThat(metric("llm_gateway.client.errors").getLongSumData().getPoints()).singleElement()
        .satisfies(p -> {
          assertThat(p.getValue()).isEqualTo(1);
          assertThat(p.getAttributes().asMap())
              .containsEntry(AttributeKey.stringKey("error.type"), "AccessDeniedException")
              .containsEntry(AttributeKey.stringKey("llm_gateway.outcome"), "refused")
              .containsEntry(AttributeKey.stringKey("llm_gateway.team"), "team-a");
        });
    assertThat(metricNames()).doesNotContain("gen_ai.client.operation.duration");
  }

  @Test
  void teamsPastTheLimitAreCountedAsOther() {
    openai.fake.on("gpt-4o").alwaysReply(r -> "ok");
    gateway = Gateway.builder().provider(openai)
        .listener(GenAiTelemetry.builder(otel.getOpenTelemetry()).maxDistinctValues(2).build()
            .listener())
        .alias("smart", Route.to("openai-eu/gpt-4o")).build();
    for (int i = 0; i < 5; i++) {
      gateway.chat(ChatRequest.of("smart", "hi"), Principal.of("team-" + i, "u"));
    }
    Set<String> teams = histogram("gen_ai.client.operation.duration").stream()
        .map(p -> p.getAttributes().get(AttributeKey.stringKey("llm_gateway.team")))
        .collect(Collectors.toSet());
    assertThat(teams).containsExactlyInAnyOrder("team-0", "team-1", "other");
  }

  private static SpanData span(String name) {
    List<SpanData> named = otel.getSpans().stream().filter(s -> s.getName().equals(name))
        .toList();
    assertThat(named).as("spans named " + name + " in " + otel.getSpans()).hasSize(1);
    return named.get(0);
  }

  private static MetricData metric(String name) {
    return otel.getMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metricNames()));
  }

  private static List<HistogramPointData> histogram(String name) {
    return List.copyOf(metric(name).getHistogramData().getPoints());
  }

  private static Set<String> metricNames() {
    return otel.getMetrics().stream().map(MetricData::getName).collect(Collectors.toSet());
  }
}
