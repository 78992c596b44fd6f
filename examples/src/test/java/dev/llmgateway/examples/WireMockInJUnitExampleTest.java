package dev.llmgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How to test your code against providers that fail the way real ones do: wire-level mocks on real
 * sockets, the real transports, your real gateway configuration.
 */
class WireMockInJUnitExampleTest {

  @Test
  void anOverloadedClaudeFailsOverToOpenAiAndADroppedStreamIsATypedFailure() {
    try (AnthropicMockServer claude = AnthropicMockServer.start();
        OpenAiMockServer openAi = OpenAiMockServer.start();
        Gateway gateway = Gateway.builder()
            .provider(AnthropicProvider.builder().baseUrl(claude.baseUrl()).apiKey("test").build())
            .provider(OpenAiPresets.openAi().baseUrl(openAi.baseUrl()).apiKey("test").build())
            .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
            .retry(RetryPolicy.none()) // fail over at once (by default a 529 is retried twice)
            .build()) {
      claude.error(MockError.OVERLOADED);                           // 529 overloaded_error
      openAi.replyText("from the fallback", Usage.of(12, 3));
      claude.fault(MockFault.DROP_MID_STREAM, List.of("half an ")); // then the socket closes

      ChatResponse answer = gateway.chat(ChatRequest.of("smart", "hello"));
      assertThat(answer.text()).isEqualTo("from the fallback");
      assertThat(answer.attempts()).hasSize(2);

      List<ChatEvent> events = new ArrayList<>();
      try (var stream = gateway.stream(ChatRequest.of("smart", "hello")).iterator()) {
        stream.forEachRemaining(events::add);
      }
      ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
      assertThat(failed.committed()).isTrue();                    // content had reached us
      assertThat(failed.deliveredTextChars()).isEqualTo("half an ".length());
      assertThat(claude.requestCount()).isEqualTo(2);             // no silent re-send
    }
  }
}
