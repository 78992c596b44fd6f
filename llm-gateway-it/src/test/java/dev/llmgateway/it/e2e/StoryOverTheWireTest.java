package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Through a gateway over each wire format's mock (issue 24.8): the model version the provider
 * names as having answered reaches the response and the usage record, unary and streamed; every
 * attempt carries its HTTP status, a success's 200 included; the story tells the route, each
 * attempt, the tokens and the cost in plain notation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoryOverTheWireTest {
  private static final Usage USAGE = Usage.of(42, 3);

  static Stream<Arguments> formats() {
    return Stream.of(
        format("openai", "gpt-4o", "gpt-4o-2024-08-06", OpenAiMockServer::start,
            s -> OpenAiPresets.openAi().baseUrl(s.baseUrl()).apiKey("sk-story-1").build()),
        format("anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
            AnthropicMockServer::start,
            s -> AnthropicProvider.builder().baseUrl(s.baseUrl()).apiKey("sk-ant-story-1")
                .build()),
        format("gemini", "gemini-2.5-flash", "gemini-2.5-flash-preview-09-2025",
            GeminiMockServer::start,
            s -> GeminiProvider.builder().baseUrl(s.baseUrl()).apiKey("AIza-story-1").build()));
  }

  private static Arguments format(String name, String model, String served,
      Supplier<ProviderMockServer> server, Function<ProviderMockServer, Provider> provider) {
    return Arguments.of(name, model, served, server, provider);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void theServedModelAndTheStatusOfTheSuccessReachTheResponseAndTheRecord(String name,
      String model, String served, Supplier<ProviderMockServer> servers,
      Function<ProviderMockServer, Provider> providers) {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    ChatRequest request = ChatRequest.of(name + "/" + model, "Capital of France?");
    try (ProviderMockServer server = servers.get();
        Gateway gateway = Gateway.builder().provider(providers.apply(server)).usageSink(usage)
            .build()) {
      server.servedModel(served).replyText("Paris", USAGE).streamText(List.of("Pa", "ris"), USAGE);

      ChatResponse unary = gateway.chat(request);
      ChatResponse streamed = null;
      try (StreamIterator<ChatEvent> events = gateway.stream(request).iterator()) {
        while (events.hasNext()) {
          if (events.next() instanceof ChatEvent.Completed done) {
            streamed = done.response();
          }
        }
      }

      for (ChatResponse answer : List.of(unary, streamed)) {
        assertThat(answer.servedModel()).isEqualTo(served);
        assertThat(answer.attempts()).singleElement().satisfies(a -> {
          assertThat(a.outcome()).isEqualTo(Attempt.Outcome.SUCCEEDED);
          assertThat(a.httpStatus()).isEqualTo(200);
        });
        assertThat(answer.story()).startsWith("call " + answer.callId() + " served by " + name
            + "/" + model + " (model " + served + ") in ")
            .contains("\n  attempt 1: " + name + "/" + model + " SUCCEEDED HTTP 200 in ")
            .contains("\n  tokens:    42 in, 3 out\n")
            .doesNotContain("Paris");
      }
      assertThat(usage.records()).hasSize(2).allSatisfy(r -> {
        assertThat(r.servedModel()).isEqualTo(served);
        assertThat(r.attempts().get(0).httpStatus()).isEqualTo(200);
        assertThat(r.toString()).contains("(model " + served + ")");
      });
    }
  }

  @Test
  void theStoryOfAFailoverTellsEachAttemptWithItsStatusAndReasonAndThePlainCost() {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (AnthropicMockServer anthropic = AnthropicMockServer.start();
        OpenAiMockServer openAi = OpenAiMockServer.start();
        Gateway gateway = Gateway.builder()
            .provider(AnthropicProvider.builder().baseUrl(anthropic.baseUrl())
                .apiKey("sk-ant-story-2").build())
            .provider(OpenAiPresets.openAi().baseUrl(openAi.baseUrl()).apiKey("sk-story-2")
                .build())
            .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
            .retry(RetryPolicy.none())
            .usageSink(usage)
            .build()) {
      anthropic.error(MockError.OVERLOADED);
      openAi.servedModel("gpt-4.1-2025-04-14").replyText("Restart the spooler.", Usage.of(96, 9));

      ChatResponse answer = gateway.chat(ChatRequest.of("smart", "And the printer?"));

      assertThat(answer.attempts()).extracting(Attempt::httpStatus).containsExactly(529, 200);
      List<String> lines = answer.story().lines().toList();
      assertThat(lines).hasSize(6);
      assertThat(lines.get(0)).startsWith("call " + answer.callId()
          + " served by openai/gpt-4.1 (model gpt-4.1-2025-04-14) in ");
      assertThat(lines.get(1)).isEqualTo("  route:     alias smart → strategy ordered; plan"
          + " [anthropic/claude-sonnet-4-5, openai/gpt-4.1]");
      assertThat(lines.get(2)).startsWith("  attempt 1: anthropic/claude-sonnet-4-5 FAILED HTTP"
          + " 529 in ").contains(" ms: ProviderOverloadedException: ");
      assertThat(lines.get(3))
          .startsWith("  attempt 2: openai/gpt-4.1 (failover) SUCCEEDED HTTP 200 in ");
      assertThat(lines.get(4)).isEqualTo("  tokens:    96 in, 9 out");
      assertThat(lines.get(5)).matches("  cost:      \\$0\\.0*[1-9][0-9]*");
      UsageRecord record = usage.last();
      assertThat(record.servedModel()).isEqualTo("gpt-4.1-2025-04-14");
      assertThat(record.story()).contains(lines.get(1)).contains(lines.get(4))
          .contains(lines.get(5));
      assertThat(answer.story() + answer + record + record.story()).doesNotContain("E-");
    }
  }
}
