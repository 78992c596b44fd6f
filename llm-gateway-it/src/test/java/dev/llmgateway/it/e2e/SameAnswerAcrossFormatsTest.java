package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One canonical request, sent through the gateway to each wire format's mock server scripted with
 * the same content, comes back as the same canonical response: format translation loses nothing
 * both sides can express.
 */
class SameAnswerAcrossFormatsTest {
  private static final ChatRequest QUESTION = ChatRequest.builder("m")
      .system("Answer in one word.")
      .user("Capital of France?")
      .tool(ToolDefinition.of("lookup", "Looks a city up",
          "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"))
      .maxOutputTokens(50)
      .build();
  private static final Usage USAGE = Usage.of(42, 3);

  static Stream<Arguments> formats() {
    return Stream.of(
        format("openai", OpenAiMockServer::start,
            s -> OpenAiPresets.openAi().baseUrl(s.baseUrl()).apiKey("sk-same-1").build()),
        format("anthropic", AnthropicMockServer::start,
            s -> AnthropicProvider.builder().baseUrl(s.baseUrl()).apiKey("sk-ant-same-1")
                .build()),
        format("gemini", GeminiMockServer::start,
            s -> GeminiProvider.builder().baseUrl(s.baseUrl()).apiKey("AIza-same-1").build()));
  }

  private static Arguments format(String name, Supplier<ProviderMockServer> server,
      Function<ProviderMockServer, Provider> provider) {
    return Arguments.of(name, server, provider);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void theSameContentGivesTheSameCanonicalResponse(String name,
      Supplier<ProviderMockServer> servers, Function<ProviderMockServer, Provider> providers) {
    try (ProviderMockServer server = servers.get();
        Gateway gateway = Gateway.builder().provider(providers.apply(server)).build()) {
      server.replyText("Paris", USAGE);
      server.streamText(List.of("Pa", "ris"), USAGE);
      server.replyToolCalls(List.of(new ToolCall("call_1", "lookup", "{\"city\":\"Paris\"}")),
          USAGE);

      ChatResponse unary = gateway.chat(QUESTION);
      ChatResponse streamed = gateway.stream(QUESTION).collect();
      ChatResponse tool = gateway.chat(QUESTION);

      for (ChatResponse text : List.of(unary, streamed)) {
        assertThat(text.text()).isEqualTo("Paris");
        assertThat(text.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(text.usage()).isEqualTo(USAGE);
        assertThat(text.toolCalls()).isEmpty();
      }
      assertThat(tool.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(tool.toolCalls()).singleElement().satisfies(call -> {
        assertThat(call.name()).isEqualTo("lookup");
        assertThat(call.arguments().replace(" ", "")).isEqualTo("{\"city\":\"Paris\"}");
      });
      assertThat(tool.usage()).isEqualTo(USAGE);
    }
  }

  /**
   * Issue 23.5: tool calls streamed in each format's own pieces (OpenAI's indexed fragments,
   * Anthropic's {@code input_json_delta}, Vertex AI's {@code partialArgs} for a request that asks
   * for streamed arguments) come back as the same calls, each with its name and whole arguments,
   * and no delta names a function that is not one of them.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void toolCallsStreamedInPiecesComeBackAsTheSameCalls(String name,
      Supplier<ProviderMockServer> servers, Function<ProviderMockServer, Provider> providers) {
    try (ProviderMockServer server = servers.get();
        Gateway gateway = Gateway.builder().provider(providers.apply(server)).build()) {
      List<ToolCall> calls = List.of(
          new ToolCall("call_1", "lookup", "{\"city\":\"Paris\",\"stops\":[\"Dijon\"]}"),
          new ToolCall("call_2", "lookup", "{\"city\":\"Lyon\",\"days\":2}"));
      server.streamToolCalls(calls, 4, USAGE);
      ChatRequest question = QUESTION.toBuilder().providerExtra("gemini", "{\"toolConfig\":"
          + "{\"functionCallingConfig\":{\"mode\":\"AUTO\",\"streamFunctionCallArguments\":true}}}")
          .build();

      List<ChatEvent> events = new ArrayList<>();
      try (StreamIterator<ChatEvent> it = gateway.stream(question).iterator()) {
        it.forEachRemaining(events::add);
      }

      assertThat(events).filteredOn(e -> e instanceof ChatEvent.ToolCallDelta d
          && d.name() != null).extracting(e -> ((ChatEvent.ToolCallDelta) e).name())
          .containsExactly("lookup", "lookup");
      ChatResponse streamed = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
      assertThat(streamed.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(streamed.toolCalls()).hasSize(2);
      for (int i = 0; i < 2; i++) {
        assertThat(streamed.toolCalls().get(i).id()).isEqualTo(calls.get(i).id());
        assertThat(streamed.toolCalls().get(i).name()).isEqualTo("lookup");
        assertThat(streamed.toolCalls().get(i).arguments().replace(" ", ""))
            .isEqualTo(calls.get(i).arguments());
      }
      assertThat(streamed.usage()).isEqualTo(USAGE);
    }
  }
}
