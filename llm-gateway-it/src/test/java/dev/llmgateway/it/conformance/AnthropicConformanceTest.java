package dev.llmgateway.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.ProviderMockServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic transport against the Anthropic mock, plus what only Anthropic has: thinking that
 * must go back to the API unchanged in the next turn.
 */
class AnthropicConformanceTest extends BuiltInTransportConformanceTest<AnthropicProvider.Builder> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SIGNATURE = "EuYBCkQYAiJAgCs1le6/Pol5Z4/JMomVOouGrWdhYNsH3ukzUECbB6iW"
      + "rSQtsQuRHJID6lWV8xqTqAVyAoFvrd7wMV7AkeIBxEVFBOP0SBIgA1DBKpkKt8AGhUFiDzOJRUMJ9w9aGgzRL1FOTxYa"
      + "5/ThxQuaDzW8tAN63cEDkvdBvB+f1n3D3o8x+/=";
  private static final String REDACTED = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa"
      + "8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pFmL8Ofrb6IoqTU/DdSgx==";
  private static final String THINKING = "The user wants the weather in Paris — call get_weather "
      + "with \"celsius\".\nThen answer briefly.";
  private static final ToolDefinition WEATHER = ToolDefinition.of("get_weather",
      "Current weather in a city", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":"
          + "\"string\"}},\"required\":[\"city\"]}");
  private static final ToolCall CALL =
      new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather", "{\"city\":\"Paris\"}");

  @Override
  protected ProviderMockServer startServer() {
    return AnthropicMockServer.start();
  }

  @Override
  AnthropicProvider.Builder builder(ProviderMockServer server) {
    return AnthropicProvider.builder().baseUrl(server.baseUrl()).apiKey(API_KEY);
  }

  @Override
  Provider build(AnthropicProvider.Builder builder) {
    return builder.build();
  }

  @Override
  protected boolean reportsReasoningTokens() {
    return false;
  }

  private AnthropicMockServer anthropic() {
    return (AnthropicMockServer) server();
  }

  @Test
  void thinkingAndRedactedThinkingGoBackByteIdenticalInTheNextTurnAfterAToolCall()
      throws Exception {
    anthropic().thinkingThenToolCalls(THINKING, SIGNATURE, REDACTED, List.of(CALL),
        Usage.of(400, 120));
    anthropic().replyText("It is 22 C and sunny in Paris.", Usage.of(520, 12));
    ChatRequest first = ChatRequest.builder(model()).user("Weather in Paris?").tool(WEATHER)
        .reasoning(ReasoningConfig.budget(2048)).build();

    ChatResponse turn1 = provider().chat(first, attempt(model()));
    ChatResponse turn2 = provider().chat(first.toBuilder().message(turn1.message())
        .message(Message.toolResult(CALL.id(), "22 C, sunny")).build(), attempt(model()));

    assertThat(turn1.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(turn1.message().content()).containsExactly(
        new ContentPart.Reasoning(THINKING, SIGNATURE, null, AnthropicProvider.FORMAT),
        new ContentPart.Reasoning(null, null, REDACTED, AnthropicProvider.FORMAT));
    assertThat(turn2.text()).isEqualTo("It is 22 C and sunny in Paris.");
    server().takeRequest();
    assertSentBack(server().takeRequest());
  }

  @Test
  void streamedThinkingIsReassembledAndGoesBackByteIdenticalInTheNextTurn() throws Exception {
    anthropic().thinkingThenToolCalls(THINKING, SIGNATURE, REDACTED, List.of(CALL),
        Usage.of(400, 120));
    anthropic().replyText("It is 22 C and sunny in Paris.", Usage.of(520, 12));
    ChatRequest first = ChatRequest.builder(model()).user("Weather in Paris?").tool(WEATHER)
        .reasoning(ReasoningConfig.budget(2048)).build();

    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it =
        ChatStream.of(provider().stream(first, attempt(model()))).iterator()) {
      it.forEachRemaining(events::add);
    }
    ChatResponse turn1 = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    provider().chat(first.toBuilder().message(turn1.message())
        .message(Message.toolResult(CALL.id(), "22 C, sunny")).build(), attempt(model()));

    assertThat(events).contains(
        new ChatEvent.ReasoningDelta(null, SIGNATURE, null, AnthropicProvider.FORMAT),
        new ChatEvent.ReasoningDelta(null, null, REDACTED, AnthropicProvider.FORMAT));
    assertThat(turn1.toolCalls()).hasSize(1);
    server().takeRequest();
    assertSentBack(server().takeRequest());
  }

  /** The second request carries the thinking blocks first, their strings byte for byte. */
  private static void assertSentBack(MockRequest second) throws Exception {
    String body = second.body();
    assertThat(body).contains("\"signature\":\"" + SIGNATURE + "\"")
        .contains("\"data\":\"" + REDACTED + "\"");
    JsonNode assistant = JSON.readTree(body).path("messages").get(1);
    assertThat(assistant.path("role").asText()).isEqualTo("assistant");
    JsonNode content = assistant.path("content");
    assertThat(content.get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(content.get(0).path("thinking").asText()).isEqualTo(THINKING);
    assertThat(content.get(0).path("signature").asText()).isEqualTo(SIGNATURE);
    assertThat(content.get(1).path("type").asText()).isEqualTo("redacted_thinking");
    assertThat(content.get(1).path("data").asText()).isEqualTo(REDACTED);
    assertThat(content.get(2).path("type").asText()).isEqualTo("tool_use");
    assertThat(JSON.readTree(body).path("thinking").path("budget_tokens").asInt()).isEqualTo(2048);
  }
}
