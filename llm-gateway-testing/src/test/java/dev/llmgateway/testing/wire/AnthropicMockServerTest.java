package dev.llmgateway.testing.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Anthropic mock's wire, seen through a raw OkHttp client (no transport of ours): statuses,
 * headers, the SSE event sequence, JSON shapes and error bodies.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AnthropicMockServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
  private static final String MESSAGE = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String STREAM = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}";
  private static final Usage USAGE = new Usage(1700, 42, 1000, 500, 200, 0, false);

  private final OkHttpClient client = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false).readTimeout(Duration.ofSeconds(10)).build();
  private final AnthropicMockServer server = AnthropicMockServer.start();

  @AfterEach
  void close() {
    server.close();
  }

  private Response post(String path, String body) throws IOException {
    return client.newCall(new Request.Builder().url(server.baseUrl() + path)
        .header("x-api-key", "sk-ant-test-key").header("anthropic-version", "2023-06-01")
        .post(RequestBody.create(body, APPLICATION_JSON)).build()).execute();
  }

  private static List<String> eventNames(String sse) {
    List<String> names = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("event: ")) {
        names.add(line.substring(7));
      }
    }
    return names;
  }

  @Test
  void aTextAnswerIsAMessageWithUncachedInputAndCacheCountsBesideIt() throws IOException {
    server.replyText("Hello!", USAGE);

    try (Response r = post("/v1/messages", MESSAGE)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("request-id")).startsWith("req_");
      assertThat(r.header("anthropic-ratelimit-requests-remaining")).isNotNull();
      JsonNode body = JSON.readTree(r.body().string());
      assertThat(body.path("type").asText()).isEqualTo("message");
      assertThat(body.path("content").get(0).path("text").asText()).isEqualTo("Hello!");
      assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(body.path("usage")).isEqualTo(JSON.readTree("{\"input_tokens\":200,"
          + "\"cache_creation_input_tokens\":500,\"cache_read_input_tokens\":1000,"
          + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":300,"
          + "\"ephemeral_1h_input_tokens\":200},\"output_tokens\":42,"
          + "\"service_tier\":\"standard\"}"));
    }
    MockRequest sent = server.takeRequest();
    assertThat(sent.target()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test-key");
  }

  @Test
  void aMessageAndAStreamsMessageStartNameTheModelThatServedThem() throws IOException {
    server.replyText("Hi", USAGE).servedModel("claude-sonnet-4-5-20250929")
        .replyText("Hi", USAGE).streamText(List.of("Hel", "lo"), USAGE);

    try (Response r = post("/v1/messages", MESSAGE)) {
      assertThat(JSON.readTree(r.body().string()).path("model").asText())
          .as("by default the request's model").isEqualTo("claude-sonnet-4-5");
    }
    try (Response r = post("/v1/messages", MESSAGE)) {
      assertThat(JSON.readTree(r.body().string()).path("model").asText())
          .isEqualTo("claude-sonnet-4-5-20250929");
    }
    try (Response r = post("/v1/messages", STREAM)) {
      String start = null;
      for (String line : r.body().string().split("\n")) {
        if (line.startsWith("data: ") && line.contains("\"message_start\"")) {
          start = line.substring(6);
        }
      }
      assertThat(JSON.readTree(start).path("message").path("model").asText())
          .isEqualTo("claude-sonnet-4-5-20250929");
    }
  }

  @Test
  void aStreamSendsTheFullEventSequence() throws IOException {
    server.streamText(List.of("Hel", "lo"), USAGE);

    try (Response r = post("/v1/messages", STREAM)) {
      assertThat(r.header("content-type")).startsWith("text/event-stream");
      assertThat(eventNames(r.body().string())).containsExactly("message_start",
          "content_block_start", "ping", "content_block_delta", "content_block_delta",
          "content_block_stop", "message_delta", "message_stop");
    }
  }

  @Test
  void thinkingThenToolCallsStreamsThinkingSignatureRedactedBlockAndToolInputFragments()
      throws IOException {
    server.thinkingThenToolCalls("Let me think.", "sig-123", "redacted-456",
        List.of(new ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}")), USAGE);

    String sse;
    try (Response r = post("/v1/messages", STREAM)) {
      sse = r.body().string();
    }
    assertThat(sse).contains("\"type\":\"thinking_delta\"")
        .contains("{\"type\":\"signature_delta\",\"signature\":\"sig-123\"}")
        .contains("{\"type\":\"redacted_thinking\",\"data\":\"redacted-456\"}")
        .contains("\"type\":\"input_json_delta\"")
        .contains("\"stop_reason\":\"tool_use\"");
  }

  @Test
  void thinkingThenTextAnswersUnaryWithThinkingAndRedactedBlocksFirst() throws IOException {
    server.thinkingThenText("Let me think.", "sig-123", "redacted-456", "Done.", USAGE);

    try (Response r = post("/v1/messages", MESSAGE)) {
      JsonNode content = JSON.readTree(r.body().string()).path("content");
      assertThat(content.get(0)).isEqualTo(JSON.readTree("{\"type\":\"thinking\","
          + "\"thinking\":\"Let me think.\",\"signature\":\"sig-123\"}"));
      assertThat(content.get(1)).isEqualTo(JSON.readTree("{\"type\":\"redacted_thinking\","
          + "\"data\":\"redacted-456\"}"));
      assertThat(content.get(2).path("text").asText()).isEqualTo("Done.");
    }
  }

  @ParameterizedTest
  @CsvSource({
      "CONTEXT_LENGTH, 400, invalid_request_error, prompt is too long",
      "INVALID_REQUEST, 400, invalid_request_error, messages",
      "CONTENT_FILTERED, 400, invalid_request_error, content filtering policy",
      "AUTHENTICATION, 401, authentication_error, invalid x-api-key",
      "PERMISSION, 403, permission_error, permission",
      "MODEL_NOT_FOUND, 404, not_found_error, claude-sonnet-4-5",
      "RATE_LIMITED, 429, rate_limit_error, rate limit",
      "RATE_LIMITED_BY_PROXY, 429, invalid_request_error, rate limit",
      "QUOTA_EXHAUSTED, 400, invalid_request_error, credit balance",
      "SERVER_ERROR, 500, api_error, Internal server error",
      "UNAVAILABLE, 503, api_error, Unavailable",
      "OVERLOADED, 529, overloaded_error, Overloaded"})
  void errorsComeInAnthropicsErrorShapeAndStatus(MockError error, int status, String type,
      String text) throws IOException {
    server.error(error);

    try (Response r = post("/v1/messages", MESSAGE)) {
      assertThat(r.code()).isEqualTo(status);
      JsonNode body = JSON.readTree(r.body().string());
      assertThat(body.path("type").asText()).isEqualTo("error");
      assertThat(body.path("error").path("type").asText()).isEqualTo(type);
      assertThat(body.path("error").path("message").asText()).contains(text);
      if (error == MockError.RATE_LIMITED || error == MockError.RATE_LIMITED_BY_PROXY) {
        assertThat(r.header("retry-after")).isEqualTo("2");
      }
    }
  }

  @Test
  void quotesPromptQuotesTheLastUserTextInAnInvalidRequestError() throws IOException {
    server.error(MockError.QUOTES_PROMPT);

    try (Response r = post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\","
        + "\"content\":\"ok\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"my SSN is 123-45-6789\"}]}]}")) {
      assertThat(r.code()).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body().string()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asText()).contains("'my SSN is 123-45-6789'");
    }
  }

  @Test
  void anInBandErrorIsAnErrorEventAfterTheDeltas() throws IOException {
    server.fault(MockFault.IN_BAND_ERROR, List.of("Hel", "lo"));

    try (Response r = post("/v1/messages", STREAM)) {
      String sse = r.body().string();
      assertThat(eventNames(sse)).endsWith("content_block_delta", "error");
      assertThat(sse).contains("\"overloaded_error\"");
    }
  }

  @Test
  void anInBandInvalidRequestIsAnErrorEventOfThatTypeAfterTheDeltas() throws IOException {
    server.fault(MockFault.IN_BAND_INVALID_REQUEST, List.of("Hel", "lo"));

    try (Response r = post("/v1/messages", STREAM)) {
      String sse = r.body().string();
      assertThat(eventNames(sse)).endsWith("content_block_delta", "error");
      assertThat(sse).contains("\"invalid_request_error\"");
    }
  }

  @Test
  void anUnknownPathGets404AndLeavesTheScriptAlone() throws IOException {
    server.replyText("Hello!", USAGE);

    try (Response r = post("/v1/complete", MESSAGE)) {
      assertThat(r.code()).isEqualTo(404);
    }
    assertThat(server.unconsumed()).isEqualTo(1);
  }
}
