package dev.llmgateway.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.ProviderIdentity;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Over the no-op API the listener records nothing and adds no header. */
@Timeout(30)
class NoopApiTest {
  @Test
  void theNoopApiMakesADisabledListenerThatAddsNoHeader() {
    GenAiTelemetry telemetry = GenAiTelemetry.create(OpenTelemetry.noop());
    assertThat(telemetry.isEnabled()).isFalse();
    assertThat(telemetry).hasToString("GenAiTelemetry[semconv 1.41.0, no-op]");
    NamedProvider openai = new NamedProvider("openai", ProviderIdentity.of("openai"));
    openai.fake.on("gpt-4o").reply("ok");
    try (Gateway gateway = Gateway.builder().provider(openai).listener(telemetry.listener())
        .alias("smart", Route.to("openai/gpt-4o")).build()) {
      assertThat(gateway.chat(ChatRequest.of("smart", "hi"), Principal.of("t", "u")).text())
          .isEqualTo("ok");
    }
    assertThat(openai.fake.lastCall().headers()).doesNotContainKey("traceparent");
  }
}
