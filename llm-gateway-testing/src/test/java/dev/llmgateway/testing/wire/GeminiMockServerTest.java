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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Gemini mock's wire, seen through a raw OkHttp client: paths, shapes, usage, errors. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GeminiMockServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
      + "\"Hi\"}]}]}";

  private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false)
      .readTimeout(Duration.ofSeconds(10)).build();
  private GeminiMockServer server;

  @BeforeEach
  void start() {
    server = GeminiMockServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Response post(String path, String body) throws IOException {
    return client.newCall(new Request.Builder().url(server.baseUrl() + path)
        .header("x-goog-api-key", "AIza-test")
        .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute();
  }

  @Test
  void baseUrlIsLoopbackWithTheVersion() {
    assertThat(server.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1beta");
  }

  @Test
  void replyTextCountsCachedTokensInThePromptAndThoughtsApart() throws IOException {
    server.replyText("Yes.", new Usage(1200, 200, 1000, 0, 150, false));
    try (Response r = post("/models/gemini-2.5-flash:generateContent", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body().string());
      JsonNode candidate = body.path("candidates").path(0);
      assertThat(candidate.path("content").path("parts").path(0).path("text").asText())
          .isEqualTo("Yes.");
      assertThat(candidate.path("content").path("role").asText()).isEqualTo("model");
      assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
      JsonNode usage = body.path("usageMetadata");
      assertThat(usage.path("promptTokenCount").asLong()).isEqualTo(1200);
      assertThat(usage.path("cachedContentTokenCount").asLong()).isEqualTo(1000);
      assertThat(usage.path("candidatesTokenCount").asLong()).isEqualTo(50);
      assertThat(usage.path("thoughtsTokenCount").asLong()).isEqualTo(150);
      assertThat(usage.path("totalTokenCount").asLong()).isEqualTo(1400);
      assertThat(body.path("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    }
    assertThat(server.takeRequest().target())
        .isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
  }

  @Test
  void aResponseAndEveryChunkNameTheModelVersionThatServedThem() throws IOException {
    server.servedModel("gemini-2.5-flash-preview-09-2025").replyText("Yes.", Usage.of(3, 1))
        .streamText(List.of("Y", "es."), Usage.of(3, 1));

    try (Response r = post("/models/gemini-2.5-flash:generateContent", CHAT)) {
      assertThat(JSON.readTree(r.body().string()).path("modelVersion").asText())
          .isEqualTo("gemini-2.5-flash-preview-09-2025");
    }
    List<String> versions = new ArrayList<>();
    try (Response r = post("/models/gemini-2.5-flash:streamGenerateContent?alt=sse", CHAT)) {
      for (String line : r.body().string().split("\n")) {
        if (line.startsWith("data: ")) {
          versions.add(JSON.readTree(line.substring(6).strip()).path("modelVersion").asText());
        }
      }
    }
    assertThat(versions).hasSizeGreaterThanOrEqualTo(2)
        .containsOnly("gemini-2.5-flash-preview-09-2025");
  }

  @Test
  void streamedToolCallsArriveWholeOnePerEventWithTheFinishAndUsageLast() throws IOException {
    server.streamToolCalls(List.of(new ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}"),
        new ToolCall("c2", "get_time", "{\"zone\":\"UTC\"}")), 5, Usage.of(10, 5));
    List<JsonNode> events = new ArrayList<>();
    try (Response r = post("/models/m:streamGenerateContent?alt=sse", CHAT)) {
      assertThat(r.header("content-type")).startsWith("text/event-stream");
      for (String line : r.body().string().split("\r\n")) {
        if (line.startsWith("data: ")) {
          events.add(JSON.readTree(line.substring(6)));
        }
      }
    }
    assertThat(events).hasSize(2);
    assertThat(events.get(0).path("candidates").path(0).path("content").path("parts").path(0)
        .path("functionCall")).isEqualTo(JSON.readTree(
            "{\"id\":\"c1\",\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}"));
    assertThat(events.get(0).has("usageMetadata")).isFalse();
    assertThat(events.get(1).path("candidates").path(0).path("finishReason").asText())
        .isEqualTo("STOP");
    assertThat(events.get(1).path("usageMetadata").path("promptTokenCount").asLong())
        .isEqualTo(10);
  }

  private List<JsonNode> streamedParts(String request) throws IOException {
    List<JsonNode> parts = new ArrayList<>();
    try (Response r = post("/models/m:streamGenerateContent?alt=sse", request)) {
      for (String line : r.body().string().split("\r\n")) {
        if (line.startsWith("data: ")) {
          for (JsonNode part : JSON.readTree(line.substring(6)).path("candidates").path(0)
              .path("content").path("parts")) {
            parts.add(part);
          }
        }
      }
    }
    return parts;
  }

  @Test
  void aRequestAskingForStreamedArgumentsGetsEachCallInVertexPieces() throws IOException {
    server.streamToolCalls(List.of(new ToolCall("c1", "book", "{\"from\":\"Paris\","
            + "\"stops\":[{\"at\":\"Dijon\"}],\"seat class\":2,\"bike\":true,\"note\":null,"
            + "\"extras\":{}}").withSignature("c2lnLTE=", "gemini")), 3, Usage.of(10, 5));
    String asking = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}],"
        + "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"AUTO\","
        + "\"streamFunctionCallArguments\":true}}}";

    List<JsonNode> parts = streamedParts(asking);

    assertThat(parts.get(0)).isEqualTo(JSON.readTree("{\"functionCall\":{\"id\":\"c1\","
        + "\"name\":\"book\",\"willContinue\":true,\"args\":{\"extras\":{}}},"
        + "\"thoughtSignature\":\"c2lnLTE=\"}"));
    assertThat(parts.subList(1, parts.size() - 1)).extracting(p -> p.path("functionCall")
        .path("partialArgs").path(0).toString()).containsExactly(
            "{\"jsonPath\":\"$.from\",\"stringValue\":\"Pa\",\"willContinue\":true}",
            "{\"jsonPath\":\"$.from\",\"stringValue\":\"ri\",\"willContinue\":true}",
            "{\"jsonPath\":\"$.from\",\"stringValue\":\"s\"}",
            "{\"jsonPath\":\"$.stops[0].at\",\"stringValue\":\"Di\",\"willContinue\":true}",
            "{\"jsonPath\":\"$.stops[0].at\",\"stringValue\":\"jo\",\"willContinue\":true}",
            "{\"jsonPath\":\"$.stops[0].at\",\"stringValue\":\"n\"}",
            "{\"jsonPath\":\"$['seat class']\",\"numberValue\":2}",
            "{\"jsonPath\":\"$.bike\",\"boolValue\":true}",
            "{\"jsonPath\":\"$.note\",\"nullValue\":\"NULL_VALUE\"}");
    assertThat(parts.get(parts.size() - 1)).isEqualTo(JSON.readTree("{\"functionCall\":{}}"));
  }

  @Test
  void aRequestNotAskingForStreamedArgumentsGetsEachCallWhole() throws IOException {
    server.streamToolCalls(List.of(new ToolCall("c1", "get_time", "{\"zone\":\"UTC\"}")), 3,
        Usage.of(10, 5));

    assertThat(streamedParts(CHAT)).containsExactly(JSON.readTree("{\"functionCall\":{"
        + "\"id\":\"c1\",\"name\":\"get_time\",\"args\":{\"zone\":\"UTC\"}}}"));
  }

  @Test
  void aThoughtOpensTheAnswerAndACallsSignatureRidesOnItsPart() throws IOException {
    server.thoughtThenToolCalls("**Planning**", null, List.of(
            new ToolCall("c1", "get_time", "{}").withSignature("c2lnLTI=", "gemini")),
        Usage.of(10, 5));
    server.thoughtThenText("**Answering**", "c2lnLTM=", "Noon.", Usage.of(10, 5));

    try (Response r = post("/models/m:generateContent", CHAT)) {
      assertThat(JSON.readTree(r.body().string()).path("candidates").path(0).path("content")
          .path("parts")).isEqualTo(JSON.readTree("[{\"text\":\"**Planning**\","
              + "\"thought\":true},{\"functionCall\":{\"id\":\"c1\",\"name\":\"get_time\","
              + "\"args\":{}},\"thoughtSignature\":\"c2lnLTI=\"}]"));
    }
    assertThat(streamedParts(CHAT)).containsExactly(
        JSON.readTree("{\"text\":\"**Answering**\",\"thought\":true,"
            + "\"thoughtSignature\":\"c2lnLTM=\"}"),
        JSON.readTree("{\"text\":\"Noon.\"}"));
  }

  @Test
  void embeddingsAreValuesInOrderWithoutTokenCounts() throws IOException {
    server.replyEmbeddings(List.of(new float[] {0.5f}, new float[] {-0.25f}), 7);
    try (Response r = post("/models/gemini-embedding-001:batchEmbedContents", "{\"requests\":[]}")) {
      assertThat(JSON.readTree(r.body().string())).isEqualTo(JSON.readTree(
          "{\"embeddings\":[{\"values\":[0.5]},{\"values\":[-0.25]}]}"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "RATE_LIMITED, 429, RESOURCE_EXHAUSTED",
      "QUOTA_EXHAUSTED, 429, RESOURCE_EXHAUSTED",
      "CONTEXT_LENGTH, 400, INVALID_ARGUMENT",
      "AUTHENTICATION, 400, INVALID_ARGUMENT",
      "PERMISSION, 403, PERMISSION_DENIED",
      "MODEL_NOT_FOUND, 404, NOT_FOUND",
      "SERVER_ERROR, 500, INTERNAL",
      "UNAVAILABLE, 503, UNAVAILABLE",
      "OVERLOADED, 503, UNAVAILABLE"})
  void errorsAreGoogleRpcStatusBodies(MockError error, int code, String status)
      throws IOException {
    server.error(error);
    try (Response r = post("/models/m:generateContent", CHAT)) {
      assertThat(r.code()).isEqualTo(code);
      JsonNode e = JSON.readTree(r.body().string()).path("error");
      assertThat(e.path("code").asInt()).isEqualTo(code);
      assertThat(e.path("status").asText()).isEqualTo(status);
      String details = e.path("details").toString();
      if (error == MockError.RATE_LIMITED) {
        assertThat(details).contains("\"retryDelay\":\"2s\"").contains("PerMinute")
            .doesNotContain("PerDay");
      } else if (error == MockError.QUOTA_EXHAUSTED) {
        assertThat(details).contains("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
      } else if (error == MockError.AUTHENTICATION) {
        assertThat(details).contains("API_KEY_INVALID");
      }
    }
  }

  @Test
  void quotesPromptQuotesTheLastUserTextInAnInvalidArgumentError() throws IOException {
    server.error(MockError.QUOTES_PROMPT);

    try (Response r = post("/models/m:generateContent", "{\"contents\":[{\"role\":\"user\","
        + "\"parts\":[{\"text\":\"my SSN is 123-45-6789\"}]}]}")) {
      assertThat(r.code()).isEqualTo(400);
      JsonNode e = JSON.readTree(r.body().string()).path("error");
      assertThat(e.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
      assertThat(e.path("message").asText()).contains("\"my SSN is 123-45-6789\"");
    }
  }

  @Test
  void aContentFilteredAnswerIsABlockedPromptWithoutCandidates() throws IOException {
    server.error(MockError.CONTENT_FILTERED);
    try (Response r = post("/models/m:generateContent", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body().string());
      assertThat(body.has("candidates")).isFalse();
      assertThat(body.path("promptFeedback").path("blockReason").asText()).isEqualTo("SAFETY");
    }
  }

  @Test
  void anUnknownPathIsGoogles404AndTakesNoAnswer() throws IOException {
    server.replyText("unused", Usage.of(1, 1));
    try (Response r = post("/models/m:countTokens", CHAT)) {
      assertThat(r.code()).isEqualTo(404);
      assertThat(JSON.readTree(r.body().string()).path("error").path("status").asText())
          .isEqualTo("NOT_FOUND");
    }
    assertThat(server.unconsumed()).isEqualTo(1);
  }

  @Test
  void rateLimitedByProxyIsA429WithRetryAfterAndAnInvalidArgumentBody() throws IOException {
    server.error(MockError.RATE_LIMITED_BY_PROXY);
    try (Response r = post("/models/m:generateContent", CHAT)) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("retry-after")).isEqualTo("2");
      assertThat(JSON.readTree(r.body().string()).path("error").path("status").asText())
          .isEqualTo("INVALID_ARGUMENT");
    }
  }

  @Test
  void anInBandInvalidRequestIsAnInvalidArgumentErrorAfterTheDeltas() throws IOException {
    server.fault(MockFault.IN_BAND_INVALID_REQUEST, List.of("Hel", "lo"));
    try (Response r = post("/models/m:streamGenerateContent?alt=sse", CHAT)) {
      String body = r.body().string();
      assertThat(body).contains("\"text\":\"lo\"").contains("\"status\":\"INVALID_ARGUMENT\"")
          .contains("\"code\":400").doesNotContain("finishReason");
    }
  }

  @Test
  void anInBandErrorEndsTheStreamAfterTheDeltas() throws IOException {
    server.fault(MockFault.IN_BAND_ERROR, List.of("Hel", "lo"));
    try (Response r = post("/models/m:streamGenerateContent?alt=sse", CHAT)) {
      String body = r.body().string();
      assertThat(body).contains("\"text\":\"Hel\"").contains("\"text\":\"lo\"")
          .contains("\"status\":\"INTERNAL\"").doesNotContain("finishReason");
    }
  }
}
