package dev.llmgateway.it.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.MockError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 23.8 over the wire: one conversation fails over from Anthropic (thinking with a signature)
 * to Gemini (a thought and a function call with its signature) and back, and once more. Neither
 * mock receives the other's signature or reasoning; each receives its own unchanged, on the part
 * that carried it, whether the turns were unary or streamed.
 */
class SignedReasoningAcrossFailoverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Opaque base64 with the characters a re-encoding would change ({@code +}, {@code /}, {@code =}). */
  private static final String ANTHROPIC_SIGNATURE =
      "EqQBCkYIBRgCIkBq+3yW0r/9Vd3hZf1WmJ8nQ2uS6tL5cPbX0oE7yKzA9wMSKwFyyNp8sJd1mQx4==";
  private static final String ANTHROPIC_THINKING = "The user wants the weather, then the time.";
  private static final String GEMINI_SIGNATURE =
      "CiQBcsjafGv0rYkq+Vd3hZf1WmJ8nQ2u/S6tL5cPbX0oE7yKzA9wMSKwFyyNp8sJ=";
  private static final String GEMINI_THOUGHT = "**Checking the time** next, in Paris.";
  private static final ToolDefinition WEATHER = ToolDefinition.of("get_weather", "Weather",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
  private static final ToolDefinition TIME = ToolDefinition.of("get_time", "Local time",
      "{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\"}}}");
  private static final Usage USAGE = new Usage(300, 60, 0, 0, 40, false);

  private final AnthropicMockServer anthropic = AnthropicMockServer.start();
  private final GeminiMockServer gemini = GeminiMockServer.start();
  private Gateway gateway;

  @BeforeEach
  void build() {
    gateway = Gateway.builder()
        .provider(AnthropicProvider.builder().baseUrl(anthropic.baseUrl())
            .apiKey("sk-ant-failover").build())
        .provider(GeminiProvider.builder().baseUrl(gemini.baseUrl()).apiKey("AIza-failover")
            .build())
        .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "gemini/gemini-2.5-pro"))
        .build();
  }

  @AfterEach
  void stop() {
    gateway.close();
    anthropic.close();
    gemini.close();
  }

  private ChatResponse ask(List<Message> conversation, boolean streamed) {
    ChatRequest request = ChatRequest.builder("smart").messages(conversation).tool(WEATHER)
        .tool(TIME).reasoning(ReasoningConfig.budget(2048)).build();
    return streamed ? gateway.stream(request).collect() : gateway.chat(request);
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "streamed={0}")
  @ValueSource(booleans = {false, true})
  void eachProviderGetsOnlyItsOwnSignaturesBackUnchangedAcrossFailovers(boolean streamed) {
    List<Message> conversation = new ArrayList<>(List.of(
        Message.user("What is the weather in Paris, and then the time there?")));

    // 1: Anthropic thinks (signed) and calls get_weather
    anthropic.thinkingThenToolCalls(ANTHROPIC_THINKING, ANTHROPIC_SIGNATURE, null,
        List.of(new ToolCall("toolu_01", "get_weather", "{\"city\":\"Paris\"}")), USAGE);
    ChatResponse first = ask(conversation, streamed);
    assertThat(first.deployment().provider()).isEqualTo("anthropic");
    anthropic.takeRequest();
    conversation.add(first.message());
    conversation.add(Message.toolResult("toolu_01", "{\"celsius\":22}"));

    // 2: Anthropic is overloaded; Gemini thinks and calls get_time, its call signed
    anthropic.error(MockError.OVERLOADED);
    gemini.thoughtThenToolCalls(GEMINI_THOUGHT, null, List.of(new ToolCall("fc_02", "get_time",
        "{\"zone\":\"Europe/Paris\"}").withSignature(GEMINI_SIGNATURE, "gemini")), USAGE);
    ChatResponse second = ask(conversation, streamed);
    assertThat(second.deployment().provider()).isEqualTo("gemini");
    anthropic.takeRequest();
    String toGemini = gemini.takeRequest().body();
    assertThat(toGemini).doesNotContain(ANTHROPIC_SIGNATURE).doesNotContain(ANTHROPIC_THINKING);
    conversation.add(second.message());
    conversation.add(Message.toolResult("fc_02", "10:00"));

    // 3: back to Anthropic: its own thinking block unchanged, nothing of Gemini's
    anthropic.thinkingThenText("Both are known now.", "EqQBCkYIBRgCIkBthird==", null,
        "22 C and 10:00 in Paris.", USAGE);
    ChatResponse third = ask(conversation, streamed);
    assertThat(third.deployment().provider()).isEqualTo("anthropic");
    String toAnthropic = anthropic.takeRequest().body();
    assertThat(toAnthropic).doesNotContain(GEMINI_SIGNATURE).doesNotContain("Checking the time");
    JsonNode messages = json(toAnthropic).path("messages");
    assertThat(messages.path(1).path("content").path(0)).isEqualTo(json("{\"type\":\"thinking\","
        + "\"thinking\":\"" + ANTHROPIC_THINKING + "\",\"signature\":\"" + ANTHROPIC_SIGNATURE
        + "\"}"));
    assertThat(toAnthropic.split(Pattern.quote(ANTHROPIC_SIGNATURE), -1)).as("its signature, once").hasSize(2);
    conversation.add(third.message());
    conversation.add(Message.user("Thanks. Anything else I should know?"));

    // 4: to Gemini again: its signature back on the function call that carried it
    anthropic.error(MockError.OVERLOADED);
    gemini.replyText("Take an umbrella.", USAGE);
    ChatResponse fourth = ask(conversation, streamed);
    assertThat(fourth.deployment().provider()).isEqualTo("gemini");
    anthropic.takeRequest();
    String toGeminiAgain = gemini.takeRequest().body();
    assertThat(toGeminiAgain).doesNotContain(ANTHROPIC_SIGNATURE)
        .doesNotContain("EqQBCkYIBRgCIkBthird==").doesNotContain(ANTHROPIC_THINKING);
    JsonNode contents = json(toGeminiAgain).path("contents");
    assertThat(contents.path(3).path("role").asText()).isEqualTo("model");
    assertThat(contents.path(3).path("parts")).isEqualTo(json("[{\"functionCall\":{"
        + "\"id\":\"fc_02\",\"name\":\"get_time\",\"args\":{\"zone\":\"Europe/Paris\"}},"
        + "\"thoughtSignature\":\"" + GEMINI_SIGNATURE + "\"}]"));
    assertThat(toGeminiAgain.split(Pattern.quote(GEMINI_SIGNATURE), -1))
        .as("its signature, once").hasSize(2);
    assertThat(anthropic.unconsumed()).isZero();
    assertThat(gemini.unconsumed()).isZero();
  }
}
