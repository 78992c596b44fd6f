package dev.llmgateway.testing.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection dropped before any answer ({@link MockFault#DROP_BEFORE_HEADERS}) and the 429
 * whose delay the script chooses ({@link ScriptedMockServer#rateLimited(Duration)}), in every
 * format, seen through a raw OkHttp client.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DropBeforeHeadersAndChosenRetryAfterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
  private static final Usage USAGE = Usage.of(12, 3);

  private final OkHttpClient client = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false).readTimeout(Duration.ofSeconds(10)).build();
  private final List<ScriptedMockServer<?>> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(ScriptedMockServer::close);
  }

  /**
   * One wire format: how to start its mock and where to send a unary and a streamed chat.
   *
   * @param name the format, for the test's name
   * @param start starts the mock
   * @param chatPath the unary chat endpoint, after the base URL
   * @param chatBody a unary chat request
   * @param streamPath the streamed chat endpoint, after the base URL
   * @param streamBody a streamed chat request
   */
  record Format(String name, Supplier<ScriptedMockServer<?>> start, String chatPath,
      String chatBody, String streamPath, String streamBody) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> formats() {
    String openAi = "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    String anthropic = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    String gemini = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}";
    return Stream.of(
        new Format("openai", OpenAiMockServer::start, "/chat/completions", openAi + "}",
            "/chat/completions", openAi + ",\"stream\":true}"),
        new Format("azure", OpenAiMockServer::startAzure, "/openai/v1/chat/completions",
            openAi + "}", "/openai/v1/chat/completions", openAi + ",\"stream\":true}"),
        new Format("anthropic", AnthropicMockServer::start, "/v1/messages", anthropic + "}",
            "/v1/messages", anthropic + ",\"stream\":true}"),
        new Format("gemini", GeminiMockServer::start, "/models/m:generateContent", gemini,
            "/models/m:streamGenerateContent?alt=sse", gemini))
        .map(Arguments::of);
  }

  private ScriptedMockServer<?> start(Format format) {
    ScriptedMockServer<?> server = format.start().get();
    servers.add(server);
    return server;
  }

  private <S extends ScriptedMockServer<S>> S start(Supplier<S> mock) {
    S server = mock.get();
    servers.add(server);
    return server;
  }

  private Response post(String url, String body) throws IOException {
    return client.newCall(new Request.Builder().url(url)
        .post(RequestBody.create(body, APPLICATION_JSON)).build()).execute();
  }

  // ---- the connection dropped before the headers

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aDropBeforeTheHeadersReadsTheRequestTakesOneAnswerAndClosesWithoutAByte(Format format)
      throws IOException {
    ScriptedMockServer<?> server = start(format);
    server.fault(MockFault.DROP_BEFORE_HEADERS, List.of()).replyText("after the drop", USAGE);

    assertThatThrownBy(() -> post(server.baseUrl() + format.chatPath(), format.chatBody()))
        .isInstanceOf(IOException.class);

    assertThat(server.takeRequest().body()).isEqualTo(format.chatBody());
    assertThat(server.unconsumed()).isEqualTo(1);
    try (Response r = post(server.baseUrl() + format.chatPath(), format.chatBody())) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body().string()).contains("after the drop");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aDropBeforeTheHeadersOfAStreamSendsNoStatusLine(Format format) {
    ScriptedMockServer<?> server = start(format);
    server.fault(MockFault.DROP_BEFORE_HEADERS, List.of("never", "sent"));

    assertThatThrownBy(() -> post(server.baseUrl() + format.streamPath(), format.streamBody()))
        .isInstanceOf(IOException.class);

    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.unconsumed()).isZero();
  }

  // ---- a 429 with a chosen delay

  @Test
  void openAiSendsAChosenDelayInWholeSecondsRoundedUpAndInExactMilliseconds()
      throws IOException {
    OpenAiMockServer server = start(OpenAiMockServer::start)
        .rateLimited(Duration.ofMillis(30)).rateLimited(Duration.ofMillis(2500));
    String chat = "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    try (Response r = post(server.baseUrl() + "/chat/completions", chat)) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("retry-after")).isEqualTo("1");
      assertThat(r.header("retry-after-ms")).isEqualTo("30");
      assertThat(r.header("x-ratelimit-reset-requests")).isEqualTo("30ms");
      JsonNode error = JSON.readTree(r.body().string()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(error.path("message").asText()).contains("Please try again in 30ms.");
    }
    try (Response r = post(server.baseUrl() + "/chat/completions", chat)) {
      assertThat(r.header("retry-after")).isEqualTo("3");
      assertThat(r.header("retry-after-ms")).isEqualTo("2500");
      assertThat(r.header("x-ratelimit-reset-requests")).isEqualTo("2.5s");
    }
  }

  @Test
  void openAiWithoutAChosenDelaySendsNoRetryAfterMs() throws IOException {
    OpenAiMockServer server = start(OpenAiMockServer::start).error(MockError.RATE_LIMITED);
    try (Response r = post(server.baseUrl() + "/chat/completions",
        "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
      assertThat(r.header("retry-after")).isEqualTo("2");
      assertThat(r.header("retry-after-ms")).isNull();
      assertThat(r.header("x-ratelimit-reset-requests")).isEqualTo("2s");
    }
  }

  @Test
  void azureSendsAChosenDelayInBothHeadersAndItsMessage() throws IOException {
    OpenAiMockServer server = start(OpenAiMockServer::startAzure)
        .rateLimited(Duration.ofMillis(30));
    try (Response r = post(server.baseUrl() + "/openai/v1/chat/completions",
        "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("retry-after")).isEqualTo("1");
      assertThat(r.header("retry-after-ms")).isEqualTo("30");
      assertThat(JSON.readTree(r.body().string()).path("error").path("message").asText())
          .contains("Please retry after 1 second.");
    }
  }

  @Test
  void anthropicSendsAChosenDelayInWholeSecondsRoundedUp() throws IOException {
    AnthropicMockServer server = start(AnthropicMockServer::start)
        .rateLimited(Duration.ofMillis(30)).rateLimited(Duration.ofSeconds(3));
    String message = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    try (Response r = post(server.baseUrl() + "/v1/messages", message)) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("retry-after")).isEqualTo("1");
      assertThat(r.header("retry-after-ms")).isNull();
      assertThat(JSON.readTree(r.body().string()).path("error").path("type").asText())
          .isEqualTo("rate_limit_error");
    }
    try (Response r = post(server.baseUrl() + "/v1/messages", message)) {
      assertThat(r.header("retry-after")).isEqualTo("3");
    }
  }

  @Test
  void geminiSendsAChosenDelayExactlyAsAProtobufDuration() throws IOException {
    GeminiMockServer server = start(GeminiMockServer::start)
        .rateLimited(Duration.ofMillis(30)).rateLimited(Duration.ofSeconds(7));
    String chat = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}";
    try (Response r = post(server.baseUrl() + "/models/m:generateContent", chat)) {
      assertThat(r.code()).isEqualTo(429);
      JsonNode error = JSON.readTree(r.body().string()).path("error");
      assertThat(error.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(error.path("details").toString()).contains("\"retryDelay\":\"0.030s\"")
          .contains("PerMinute");
      assertThat(error.path("message").asText()).contains("Please retry in 0.030s.");
    }
    try (Response r = post(server.baseUrl() + "/models/m:generateContent", chat)) {
      assertThat(JSON.readTree(r.body().string()).path("error").path("details").toString())
          .contains("\"retryDelay\":\"7s\"");
    }
  }

  @Test
  void aNegativeDelayIsRefusedAndScriptsNothing() {
    GeminiMockServer server = start(GeminiMockServer::start);
    assertThatThrownBy(() -> server.rateLimited(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
    assertThat(server.unconsumed()).isZero();
  }
}
