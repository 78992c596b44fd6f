package dev.llmgateway.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.ProviderIdentity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Content reaches spans only when enabled, only as the provider saw it (after redaction, before
 * restoration), and no secret or personal value reaches any attribute or event.
 */
@Timeout(60)
class ContentCaptureTest {
  @RegisterExtension
  static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private static final String EMAIL = "alice.smith@example.com";
  private static final String PLACEHOLDER = "<EMAIL_1>";
  private static final String API_KEY = "gw_live_5ecr3tK3yTh4tMustN0tLeak_0123456789abcdef";
  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9"
      + ".c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw";
  private static final String USER_ID = "alice-user-id-42";

  private final NamedProvider openai = new NamedProvider("openai-eu",
      new ProviderIdentity("openai", "api.openai.com", 443));
  private Gateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private Gateway gateway(UnaryOperator<GenAiTelemetry.Builder> telemetry) {
    openai.fake.on("gpt-4o").alwaysReply(r -> "Noted, " + (r.lastUserText().contains(PLACEHOLDER)
        ? PLACEHOLDER : r.lastUserText()));
    gateway = Gateway.builder().provider(openai)
        .listener(telemetry.apply(GenAiTelemetry.builder(otel.getOpenTelemetry())).build()
            .listener())
        .interceptor(InterceptorPosition.FIRST, new Redacting(EMAIL, PLACEHOLDER))
        .authenticator(c -> c instanceof Caller.ApiKey || c instanceof Caller.BearerToken
            ? Principal.of("team-a", USER_ID) : null)
        .alias("smart", Route.to("openai-eu/gpt-4o"))
        .build();
    return gateway;
  }

  private static ChatRequest prompt() {
    return ChatRequest.builder("smart").system("You are terse.")
        .user("Mail me at " + EMAIL + ", please").build();
  }

  @Test
  void contentIsNotRecordedByDefault() {
    gateway(b -> b).chat(prompt(), Caller.apiKey(API_KEY));

    SpanData attempt = attemptSpan();
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
        .isNull();
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")))
        .isNull();
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.system_instructions")))
        .isNull();
  }

  @Test
  void capturedContentIsWhatTheProviderSawNotTheCallersTextNorTheRestoredAnswer() {
    ChatResponse answer = gateway(b -> b.captureContent(true)).chat(prompt(),
        Caller.apiKey(API_KEY));
    assertThat(answer.text()).isEqualTo("Noted, " + EMAIL); // restored for the caller

    Attributes a = attemptSpan().getAttributes();
    assertThat(a.get(AttributeKey.stringKey("gen_ai.system_instructions")))
        .isEqualTo("[{\"type\":\"text\",\"content\":\"You are terse.\"}]");
    assertThat(a.get(AttributeKey.stringKey("gen_ai.input.messages"))).isEqualTo(
        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Mail me at "
            + PLACEHOLDER + ", please\"}]}]");
    assertThat(a.get(AttributeKey.stringKey("gen_ai.output.messages"))).isEqualTo(
        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Noted, "
            + PLACEHOLDER + "\"}],\"finish_reason\":\"stop\"}]");
  }

  @Test
  void aLongTextIsCutAtTheConfiguredLength() {
    gateway(b -> b.captureContent(true).maxContentChars(10))
        .chat(ChatRequest.of("smart", "0123456789abcdef"), Caller.apiKey(API_KEY));

    assertThat(attemptSpan().getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
        .contains("\"0123456789…[truncated]\"").doesNotContain("abcdef");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void noKeyTokenOrUnredactedPersonalValueReachesAnyAttributeOrEvent(boolean capture) {
    gateway(b -> b.captureContent(capture));
    gateway.chat(prompt(), Caller.apiKey(API_KEY));
    gateway.chat(prompt(), Caller.bearerToken(JWT));
    gateway.stream(prompt(), Caller.apiKey(API_KEY)).collect();

    List<String> values = new ArrayList<>();
    for (SpanData span : otel.getSpans()) {
      values.add(span.getName());
      collect(span.getAttributes(), values);
      for (EventData event : span.getEvents()) {
        values.add(event.getName());
        collect(event.getAttributes(), values);
      }
    }
    otel.getMetrics().forEach(m -> m.getData().getPoints()
        .forEach(p -> collect(p.getAttributes(), values)));
    assertThat(otel.getSpans()).hasSize(6);
    assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(v)
        .doesNotContain(API_KEY, JWT, EMAIL, USER_ID, "5ecr3t", "eyJ"));
  }

  @Test
  void builderMisuseIsRefusedWithTheLimit() {
    GenAiTelemetry.Builder b = GenAiTelemetry.builder(otel.getOpenTelemetry());
    assertThatThrownBy(() -> b.maxContentChars(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to " + GenAiTelemetry.Builder.MAX_CONTENT_CHARS);
    assertThatThrownBy(() -> b.maxDistinctValues(GenAiTelemetry.Builder.MAX_DISTINCT_VALUES + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void collect(Attributes attributes, List<String> into) {
    attributes.forEach((k, v) -> into.add(k.getKey() + "=" + v));
  }

  private static SpanData attemptSpan() {
    return otel.getSpans().stream().filter(s -> s.getName().equals("chat gpt-4o")).findFirst()
        .orElseThrow();
  }
}
