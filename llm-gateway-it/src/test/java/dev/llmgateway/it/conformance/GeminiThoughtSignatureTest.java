package dev.llmgateway.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.spi.AttemptContext;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Thinking with tool use over two turns: the thought signatures Gemini put on its parts (a thought
 * part, the first of two parallel function calls, whose signature the {@code ToolCall} carries)
 * come back in the second request byte for byte, on the same parts, whether the first turn was
 * unary or streamed.
 */
class GeminiThoughtSignatureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "gemini-2.5-pro";
  /**
   * Opaque base64, with the characters a re-encoding would change ({@code +}, {@code /}, padding).
   */
  private static final String THOUGHT_SIGNATURE = "Ev8BCvwBAXLI2nz+/k9Q3x7W1bQy8sR4pHn0cJ6fUe2dA7gK5tB3wV==";
  private static final String CALL_SIGNATURE = "CiQBcsjafGv0rYkq+Vd3hZf1WmJ8nQ2u/S6tL5cPbX0oE7yKzA9w=";
  private static final String MODEL_PARTS = "["
      + "{\"text\":\"**Planning**\\n\\nI need the weather and the time.\",\"thought\":true,"
      + "\"thoughtSignature\":\"" + THOUGHT_SIGNATURE + "\"},"
      + "{\"text\":\"Let me look both up.\"},"
      + "{\"functionCall\":{\"id\":\"fc_1\",\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},"
      + "\"thoughtSignature\":\"" + CALL_SIGNATURE + "\"},"
      + "{\"functionCall\":{\"id\":\"fc_2\",\"name\":\"get_time\",\"args\":{\"zone\":\"Europe/Paris\"}}}]";
  private static final String FIRST = "{\"candidates\":[{\"content\":{\"parts\":" + MODEL_PARTS
      + ",\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":"
      + "{\"promptTokenCount\":80,\"candidatesTokenCount\":40,\"thoughtsTokenCount\":120,"
      + "\"totalTokenCount\":240},\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"r1\"}";
  private static final String SECOND = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
      + "\"14 C and 10:00 in Paris.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
      + "\"usageMetadata\":{\"promptTokenCount\":300,\"candidatesTokenCount\":9,"
      + "\"totalTokenCount\":309}}";

  private final MockWebServer server = new MockWebServer();
  private GeminiProvider provider;

  @BeforeEach
  void start() throws Exception {
    server.start();
    provider = GeminiProvider.builder().baseUrl(server.url("/v1beta").toString())
        .apiKey("AIza-signature-test-key").executor(Runnable::run).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private static ChatRequest.Builder question() {
    return ChatRequest.builder(MODEL).user("Weather and time in Paris?")
        .tool(ToolDefinition.of("get_weather", "Weather", "{\"type\":\"object\"}"))
        .tool(ToolDefinition.of("get_time", "Time", "{\"type\":\"object\"}"))
        .reasoning(ReasoningConfig.effort(ReasoningConfig.Effort.HIGH));
  }

  private static AttemptContext attempt() {
    return AttemptContext.standalone(new Deployment("gemini", MODEL));
  }

  private void serve(String body, String type) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", type)
        .body(body).build());
  }

  /** Sends the second turn with the first answer and the tool results; returns what was sent. */
  private JsonNode secondTurn(ChatResponse first) throws Exception {
    assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    List<ToolCall> calls = first.toolCalls();
    serve(SECOND, "application/json");
    ChatResponse answer = provider.chat(question().message(first.message())
        .message(Message.toolResult(calls.get(0).id(), "{\"celsius\":14}"))
        .message(Message.toolResult(calls.get(1).id(), "10:00"))
        .build(), attempt());
    assertThat(answer.text()).isEqualTo("14 C and 10:00 in Paris.");
    server.takeRequest();
    RecordedRequest sent = server.takeRequest();
    return JSON.readTree(sent.getBody().utf8());
  }

  private static void assertSentBackUnchanged(JsonNode sent) throws Exception {
    JsonNode contents = sent.path("contents");
    assertThat(contents.path(1).path("role").asText()).isEqualTo("model");
    assertThat(contents.path(1).path("parts")).isEqualTo(JSON.readTree(MODEL_PARTS));
    assertThat(contents.path(1).path("parts").path(0).path("thoughtSignature").textValue())
        .isEqualTo(THOUGHT_SIGNATURE);
    assertThat(contents.path(1).path("parts").path(2).path("thoughtSignature").textValue())
        .isEqualTo(CALL_SIGNATURE);
    assertThat(contents.path(2).path("parts")).isEqualTo(JSON.readTree("["
        + "{\"functionResponse\":{\"id\":\"fc_1\",\"name\":\"get_weather\","
        + "\"response\":{\"celsius\":14}}},"
        + "{\"functionResponse\":{\"id\":\"fc_2\",\"name\":\"get_time\","
        + "\"response\":{\"result\":\"10:00\"}}}]"));
  }

  @Test
  void signaturesOfAUnaryAnswerComeBackByteIdenticalOnTheirParts() throws Exception {
    serve(FIRST, "application/json");
    ChatResponse first = provider.chat(question().build(), attempt());

    assertSentBackUnchanged(secondTurn(first));
  }

  @Test
  void signaturesOfAStreamedAnswerComeBackByteIdenticalOnTheirParts() throws Exception {
    JsonNode parts = JSON.readTree(MODEL_PARTS);
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      boolean last = i == parts.size() - 1;
      sse.append("data: {\"candidates\":[{\"content\":{\"parts\":[").append(parts.get(i))
          .append("],\"role\":\"model\"}").append(last ? ",\"finishReason\":\"STOP\"" : "")
          .append(",\"index\":0}]").append(last ? ",\"usageMetadata\":{\"promptTokenCount\":80,"
              + "\"candidatesTokenCount\":40,\"thoughtsTokenCount\":120}" : "")
          .append("}\r\n\r\n");
    }
    serve(sse.toString(), "text/event-stream");
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(provider.stream(question().build(), attempt())).iterator()) {
      it.forEachRemaining(events::add);
    }
    ChatResponse first = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(events).filteredOn(e -> e instanceof ChatEvent.ReasoningDelta d
        && d.signature() != null).as("the thought part's signature").hasSize(1);
    assertThat(events).filteredOn(e -> e instanceof ChatEvent.ToolCallDelta d
        && CALL_SIGNATURE.equals(d.signature())).as("the call's, on its own delta").hasSize(1);

    assertSentBackUnchanged(secondTurn(first));
  }
}
