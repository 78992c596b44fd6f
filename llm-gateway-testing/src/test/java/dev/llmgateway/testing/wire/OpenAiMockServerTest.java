package dev.llmgateway.testing.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OpenAI mock's wire, seen through a raw OkHttp client (no transport of ours): statuses,
 * headers, SSE framing, JSON shapes compared with the wire fixtures, and each fault's observable
 * effect on a real socket.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenAiMockServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
  private static final String KEY = "sk-abc12345SECRET6789wxyz";
  private static final String CHAT = "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"Hi\"}]}";
  private static final String STREAM = "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"Hi\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
  private static final String STREAM_WITHOUT_USAGE = "{\"model\":\"gpt-4.1\",\"messages\":[{"
      + "\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}";
  private static final Usage USAGE = new Usage(1187, 42, 1024, 0, 0, false);
  private static final List<String> DELTAS = List.of("Hello", "!", " How", " can", " I");

  private final OkHttpClient client = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false)
      .readTimeout(Duration.ofSeconds(10))
      .build();
  private final List<OpenAiMockServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(OpenAiMockServer::close);
  }

  private OpenAiMockServer openAi() {
    OpenAiMockServer server = OpenAiMockServer.start();
    servers.add(server);
    return server;
  }

  private OpenAiMockServer azure() {
    OpenAiMockServer server = OpenAiMockServer.startAzure();
    servers.add(server);
    return server;
  }

  @Test
  void openAiBaseUrlIsLoopbackWithTheApiVersionPath() {
    assertThat(openAi().baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1");
  }

  @Test
  void azureBaseUrlIsTheResourceEndpoint() {
    assertThat(azure().baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
  }

  @Test
  void replyTextIsAChatCompletionShapedLikeTheSpecWithRequestIdAndRateLimitHeaders()
      throws IOException {
    OpenAiMockServer server = openAi().replyText("Yes.", USAGE);
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("content-type")).startsWith("application/json");
      assertThat(r.header("x-request-id")).matches("req_[0-9a-f]{32}");
      assertThat(r.headers().names()).contains("x-ratelimit-limit-requests",
          "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests",
          "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens");
      JsonNode body = JSON.readTree(r.body().string());
      assertThat(shape(body)).isEqualTo(shape(fixture("openai/chat-response-basic.json")));
      assertThat(body.path("id").asText()).startsWith("chatcmpl-");
      assertThat(body.path("model").asText()).isEqualTo("gpt-4.1");
      JsonNode choice = body.path("choices").path(0);
      assertThat(choice.path("message").path("content").asText()).isEqualTo("Yes.");
      assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
      JsonNode usage = body.path("usage");
      assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(1187);
      assertThat(usage.path("completion_tokens").asLong()).isEqualTo(42);
      assertThat(usage.path("total_tokens").asLong()).isEqualTo(1229);
      assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong())
          .isEqualTo(1024);
    }
  }

  @Test
  void cachedAndReasoningTokensAreReportedInsideThePromptAndCompletionCounts() throws IOException {
    OpenAiMockServer server = openAi().replyText("x", new Usage(500, 300, 128, 0, 200, false));
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      JsonNode usage = JSON.readTree(r.body().string()).path("usage");
      assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(500);
      assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(128);
      assertThat(usage.path("completion_tokens").asLong()).isEqualTo(300);
      assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asLong())
          .isEqualTo(200);
    }
  }

  @Test
  void replyToolCallsIsAChatCompletionWithParallelToolCalls() throws IOException {
    OpenAiMockServer server = openAi().replyToolCalls(List.of(
        new ToolCall("call_1", "get_weather", "{\"location\":\"Paris, France\"}"),
        new ToolCall("call_2", "get_weather", "{\"location\":\"Tokyo, Japan\"}")), USAGE);
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      JsonNode body = JSON.readTree(r.body().string());
      assertThat(shape(body)).isEqualTo(shape(fixture("openai/chat-response-tool-calls.json")));
      JsonNode choice = body.path("choices").path(0);
      assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
      assertThat(choice.path("message").path("content").isNull()).isTrue();
      JsonNode calls = choice.path("message").path("tool_calls");
      assertThat(calls).hasSize(2);
      assertThat(calls.path(1).path("id").asText()).isEqualTo("call_2");
      assertThat(calls.path(1).path("function").path("arguments").asText())
          .isEqualTo("{\"location\":\"Tokyo, Japan\"}");
    }
  }

  @Test
  void streamTextIsServerSentEventsShapedLikeTheSpecWithUsageInALastChunkOfItsOwn()
      throws IOException {
    OpenAiMockServer server = openAi().streamText(DELTAS, USAGE);
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("content-type")).startsWith("text/event-stream");
      assertThat(r.header("x-request-id")).matches("req_[0-9a-f]{32}");
      assertThat(r.header("x-ratelimit-remaining-requests")).isNotNull();
      String body = r.body().string();
      assertThat(body).startsWith("data: {").endsWith("}\n\ndata: [DONE]\n\n");
      List<String> events = events(body);
      List<String> fixture = events(resource("openai/chat-stream-basic.sse"));
      assertThat(events).hasSize(DELTAS.size() + 4).last().isEqualTo("[DONE]");
      assertThat(shape(events.get(0))).isEqualTo(shape(fixture.get(0)));
      for (int i = 0; i < DELTAS.size(); i++) {
        JsonNode chunk = JSON.readTree(events.get(1 + i));
        assertThat(shape(chunk)).isEqualTo(shape(fixture.get(1)));
        assertThat(chunk.path("choices").path(0).path("delta").path("content").asText())
            .isEqualTo(DELTAS.get(i));
      }
      JsonNode finish = JSON.readTree(events.get(DELTAS.size() + 1));
      assertThat(shape(finish)).isEqualTo(shape(fixture.get(fixture.size() - 3)));
      assertThat(finish.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
      JsonNode last = JSON.readTree(events.get(DELTAS.size() + 2));
      assertThat(shape(last)).isEqualTo(shape(fixture.get(fixture.size() - 2)));
      assertThat(last.path("choices")).isEmpty();
      assertThat(last.path("usage").path("prompt_tokens").asLong()).isEqualTo(1187);
      assertThat(last.path("usage").path("prompt_tokens_details").path("cached_tokens").asLong())
          .isEqualTo(1024);
      Set<String> ids = events.subList(0, events.size() - 1).stream()
          .map(e -> read(e).path("id").asText()).collect(Collectors.toSet());
      assertThat(ids).hasSize(1);
    }
  }

  @Test
  void aStreamThatDidNotAskForAUsageChunkCarriesTheUsageOnItsFinishChunk() throws IOException {
    OpenAiMockServer server = openAi().streamText(DELTAS, USAGE);
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM_WITHOUT_USAGE)) {
      List<String> events = events(r.body().string());
      assertThat(events).hasSize(DELTAS.size() + 3).last().isEqualTo("[DONE]");
      JsonNode finish = JSON.readTree(events.get(events.size() - 2));
      assertThat(finish.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
      assertThat(finish.path("usage").path("completion_tokens").asLong()).isEqualTo(42);
      assertThat(events.subList(0, events.size() - 2))
          .allSatisfy(e -> assertThat(read(e).has("usage")).isFalse());
    }
  }

  @Test
  void streamToolCallsSendsEachCallsIdAndNameFirstThenItsArgumentsInFragments()
      throws IOException {
    List<ToolCall> calls = List.of(
        new ToolCall("call_Xf3k", "get_weather", "{\"location\": \"Paris, France\"}"),
        new ToolCall("call_Q7hJ", "get_time", "{\"zone\": \"Asia/Tokyo\"}"));
    OpenAiMockServer server = openAi().streamToolCalls(calls, 4, USAGE);
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM_WITHOUT_USAGE)) {
      List<String> events = events(r.body().string());
      List<String> fixture = events(resource("openai/chat-stream-tool-calls.sse"));
      assertThat(events).hasSize(2 * (1 + 4) + 2).last().isEqualTo("[DONE]");
      assertThat(shape(events.get(0))).isEqualTo(shape(fixture.get(0)));
      assertThat(shape(events.get(1))).isEqualTo(shape(fixture.get(1)));
      assertThat(shape(events.get(5))).isEqualTo(shape(fixture.get(9)));
      assertThat(withoutUsage(shape(events.get(10))))
          .isEqualTo(shape(fixture.get(fixture.size() - 2)));
      StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
      for (String e : events.subList(0, events.size() - 2)) {
        JsonNode call = read(e).path("choices").path(0).path("delta").path("tool_calls").path(0);
        arguments[call.path("index").asInt()].append(call.path("function").path("arguments")
            .asText());
      }
      assertThat(arguments[0].toString()).isEqualTo(calls.get(0).arguments());
      assertThat(arguments[1].toString()).isEqualTo(calls.get(1).arguments());
      JsonNode start = read(events.get(5)).path("choices").path(0).path("delta");
      assertThat(start.path("tool_calls").path(0).path("id").asText()).isEqualTo("call_Q7hJ");
      assertThat(start.path("tool_calls").path(0).path("function").path("name").asText())
          .isEqualTo("get_time");
      assertThat(read(events.get(10)).path("choices").path(0).path("finish_reason").asText())
          .isEqualTo("tool_calls");
    }
  }

  @Test
  void replyEmbeddingsIsAListOfVectorsInInputOrder() throws IOException {
    OpenAiMockServer server = openAi().replyEmbeddings(
        List.of(new float[] {0.70311672f, -0.26768986f}, new float[] {-0.48360852f, 0.45353336f}),
        22);
    try (Response r = post(server.baseUrl() + "/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}")) {
      JsonNode body = JSON.readTree(r.body().string());
      assertThat(shape(body)).isEqualTo(shape(fixture("openai/embeddings-response.json")));
      assertThat(body.path("data").path(1).path("index").asInt()).isEqualTo(1);
      assertThat((float) body.path("data").path(1).path("embedding").path(0).asDouble())
          .isEqualTo(-0.48360852f);
      assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(22);
    }
  }

  @Test
  void answersNameTheModelThatServedThemOnTheBodyEveryChunkAndEmbeddings() throws IOException {
    OpenAiMockServer server = openAi().replyText("Hi", USAGE).servedModel("gpt-4.1-2025-04-14")
        .replyText("Hi", USAGE).streamText(DELTAS, USAGE)
        .replyEmbeddings(List.of(new float[] {0.5f}), 2);

    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(read(r.body().string()).path("model").asText())
          .as("by default the request's model").isEqualTo("gpt-4.1");
    }
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(read(r.body().string()).path("model").asText()).isEqualTo("gpt-4.1-2025-04-14");
    }
    List<String> chunkModels = new ArrayList<>();
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      for (String line : r.body().string().split("\n")) {
        if (line.startsWith("data: {")) {
          chunkModels.add(read(line.substring(6)).path("model").asText());
        }
      }
    }
    assertThat(chunkModels).hasSizeGreaterThan(DELTAS.size()).containsOnly("gpt-4.1-2025-04-14");
    try (Response r = post(server.baseUrl() + "/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\"]}")) {
      assertThat(read(r.body().string()).path("model").asText()).isEqualTo("gpt-4.1-2025-04-14");
    }
  }

  @Test
  void azureStreamsOpenWithAnEmptyModelThenNameTheServedOne() throws IOException {
    OpenAiMockServer server = azure().servedModel("gpt-4.1-2025-04-14").streamText(DELTAS, USAGE);
    List<String> chunkModels = new ArrayList<>();
    try (Response r = post(server.baseUrl() + "/openai/deployments/my-gpt/chat/completions"
        + "?api-version=2024-10-21", STREAM)) {
      for (String line : r.body().string().split("\n")) {
        if (line.startsWith("data: {")) {
          chunkModels.add(read(line.substring(6)).path("model").asText());
        }
      }
    }
    assertThat(chunkModels.get(0)).isEmpty();
    assertThat(chunkModels.subList(1, chunkModels.size())).containsOnly("gpt-4.1-2025-04-14");
  }

  @Test
  void embeddingsAskedForInBase64AreLittleEndianFloat32AsTheFixtureShows() throws IOException {
    OpenAiMockServer server = openAi().replyEmbeddings(List.of(
        new float[] {0.703116721f, -0.267689863f, 0.621545991f, 0.218287871f},
        new float[] {-0.48360852f, 0.453533363f, 0.14195474f, -0.735036829f}), 22);
    try (Response r = post(server.baseUrl() + "/embeddings", "{\"model\":"
        + "\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\"}")) {
      JsonNode body = JSON.readTree(r.body().string());
      JsonNode fixture = fixture("openai/embeddings-response-base64.json");
      assertThat(shape(body)).isEqualTo(shape(fixture));
      assertThat(body.path("data")).isEqualTo(fixture.path("data"));
    }
  }

  @ParameterizedTest
  @EnumSource(MockError.class)
  void errorsUseOpenAisStatusAndErrorShape(MockError error) throws IOException {
    OpenAiMockServer server = openAi().error(error);
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(status(error));
      assertThat(r.header("x-request-id")).isNotNull();
      JsonNode body = JSON.readTree(r.body().string());
      List<String> keys = new ArrayList<>();
      body.path("error").fieldNames().forEachRemaining(keys::add);
      assertThat(keys).containsExactly("message", "type", "param", "code");
      assertThat(body.path("error").path("code").asText(null)).isEqualTo(openAiCode(error));
      String fixture = openAiFixture(error);
      if (fixture != null) {
        assertThat(shape(body)).isEqualTo(shape(fixture(fixture)));
      }
    }
  }

  @Test
  void authenticationErrorEchoesTheKeySentMaskedLikeOpenAi() throws IOException {
    OpenAiMockServer server = openAi().error(MockError.AUTHENTICATION);
    Request request = new Request.Builder().url(server.baseUrl() + "/chat/completions")
        .header("Authorization", "Bearer " + KEY).post(RequestBody.create(CHAT, APPLICATION_JSON))
        .build();
    try (Response r = client.newCall(request).execute()) {
      String message = JSON.readTree(r.body().string()).path("error").path("message").asText();
      assertThat(message).startsWith("Incorrect API key provided: sk-abc12*").contains("*wxyz. ")
          .doesNotContain(KEY).doesNotContain("SECRET");
    }
  }

  @Test
  void quotesPromptQuotesTheLastUserTextInAnInvalidRequestError() throws IOException {
    OpenAiMockServer server = openAi().error(MockError.QUOTES_PROMPT);
    try (Response r = post(server.baseUrl() + "/chat/completions", "{\"model\":\"gpt-4.1\","
        + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\","
        + "\"content\":\"my SSN is 123-45-6789\"}]}")) {
      assertThat(r.code()).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body().string()).path("error");
      assertThat(error.path("message").asText()).contains("'my SSN is 123-45-6789'");
      assertThat(error.path("code").asText()).isEqualTo("invalid_value");
    }
  }

  @Test
  void rateLimitedSaysRetryAfterTwoSecondsButQuotaExhaustedSaysNone() throws IOException {
    OpenAiMockServer server = openAi().error(MockError.RATE_LIMITED)
        .error(MockError.QUOTA_EXHAUSTED);
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.header("retry-after")).isEqualTo("2");
      assertThat(lowerCase(r.headers().names()))
          .containsAll(headerNames("openai/error-429-rate-limit.headers"));
      assertThat(r.header("x-ratelimit-remaining-requests")).isEqualTo("0");
    }
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("retry-after")).isNull();
    }
  }

  @Test
  void overloadedSaysSoAndUnavailableDoesNot() throws IOException {
    OpenAiMockServer server = openAi().error(MockError.OVERLOADED).error(MockError.UNAVAILABLE);
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.body().string()).contains("overloaded");
    }
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.body().string()).doesNotContain("overload");
    }
  }

  // ---- faults

  @Test
  void stallBeforeHeadersTimesOutAClientWithAShortReadTimeoutAndEndsWhenTheServerCloses() {
    OpenAiMockServer server = openAi().fault(MockFault.STALL_BEFORE_HEADERS, List.of());
    OkHttpClient impatient = client.newBuilder().readTimeout(Duration.ofMillis(300)).build();
    Request request = request(server.baseUrl() + "/chat/completions", STREAM);
    assertThatThrownBy(() -> impatient.newCall(request).execute())
        .isInstanceOf(InterruptedIOException.class);
    assertThat(server.requestCount()).isEqualTo(1);
    assertClosesPromptly(server);
  }

  @Test
  void stallMidStreamSendsTheDeltasThenGoesSilentUntilTheServerCloses() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.STALL_MID_STREAM, List.of("Hel", "lo"));
    OkHttpClient impatient = client.newBuilder().readTimeout(Duration.ofMillis(300)).build();
    try (Response r = impatient.newCall(request(server.baseUrl() + "/chat/completions", STREAM))
        .execute()) {
      BufferedSource source = r.body().source();
      assertThat(content(nextEvent(source))).isEmpty(); // the role chunk
      assertThat(content(nextEvent(source))).isEqualTo("Hel");
      assertThat(content(nextEvent(source))).isEqualTo("lo");
      assertThatThrownBy(() -> nextEvent(source)).isInstanceOf(InterruptedIOException.class);
    }
    assertClosesPromptly(server);
  }

  @Test
  void aStallMidStreamEndsWhenTheClientHangsUp() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.STALL_MID_STREAM, List.of("Hel", "lo"));
    Call call = client.newCall(request(server.baseUrl() + "/chat/completions", STREAM));
    try (Response r = call.execute()) {
      BufferedSource source = r.body().source();
      nextEvent(source);
      nextEvent(source);
      nextEvent(source);
      call.cancel();
      assertThat(server.awaitClientDisconnect()).isTrue();
    }
  }

  @Test
  void dropMidStreamSendsTheDeltasThenCutsTheConnection() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.DROP_MID_STREAM, List.of("Hel", "lo"));
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      BufferedSource source = r.body().source();
      nextEvent(source);
      assertThat(content(nextEvent(source))).isEqualTo("Hel");
      assertThat(content(nextEvent(source))).isEqualTo("lo");
      assertThatThrownBy(() -> nextEvent(source)).isInstanceOf(IOException.class);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void malformedChunkIsNotJsonAfterTheDeltas() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.MALFORMED_CHUNK, List.of("Hel", "lo"));
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      String body = r.body().string();
      assertThat(body).contains("\"content\":\"lo\"}").contains("\n\ndata: {not json\n\n")
          .endsWith("data: [DONE]\n\n");
      assertThat(body.indexOf("\"lo\"")).isLessThan(body.indexOf("{not json"));
    }
  }

  @Test
  void inBandErrorIsAnErrorObjectInTheStreamFollowedByDone() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.IN_BAND_ERROR, List.of("Hel", "lo"));
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      List<String> events = events(r.body().string());
      assertThat(events).last().isEqualTo("[DONE]");
      JsonNode error = read(events.get(events.size() - 2));
      assertThat(error.path("error").path("type").asText()).isEqualTo("server_error");
      assertThat(error.path("error").path("message").asText()).isNotEmpty();
      assertThat(content(events.get(events.size() - 3))).isEqualTo("lo");
    }
  }

  @Test
  void inBandInvalidRequestIsGroqsErrorEventWithItsStatusCode() throws IOException {
    OpenAiMockServer server = openAi()
        .fault(MockFault.IN_BAND_INVALID_REQUEST, List.of("Hel", "lo"));
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      String body = r.body().string();
      assertThat(body).contains("\n\nevent: error\ndata: {\"error\":").doesNotContain("[DONE]");
      JsonNode error = read(body.substring(body.lastIndexOf("data: ") + 6).strip())
          .path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("code").asText()).isEqualTo("tool_use_failed");
      assertThat(error.path("status_code").asInt()).isEqualTo(400);
    }
  }

  @Test
  void inBandInvalidRequestAnswersAUnaryRequestWithA400() throws IOException {
    OpenAiMockServer server = openAi()
        .fault(MockFault.IN_BAND_INVALID_REQUEST, List.of("Hel", "lo"));
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body().string()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("tool_use_failed");
      assertThat(error.has("status_code")).isFalse();
    }
  }

  @Test
  void rateLimitedByProxyIsA429WithRetryAfterAndAClientErrorBody() throws IOException {
    OpenAiMockServer server = openAi().error(MockError.RATE_LIMITED_BY_PROXY);
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("retry-after")).isEqualTo("2");
      assertThat(JSON.readTree(r.body().string()).path("error").path("type").asText())
          .isEqualTo("invalid_request_error");
    }
  }

  @Test
  void truncatedStreamEndsCleanlyWithoutFinishOrDone() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.TRUNCATED_STREAM, List.of("Hel", "lo"));
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      List<String> events = events(r.body().string());
      assertThat(events).hasSize(3).doesNotContain("[DONE]");
      assertThat(events).allSatisfy(e -> assertThat(read(e).path("choices").path(0)
          .path("finish_reason").isNull()).isTrue());
    }
    assertThat(server.awaitStreamWritten(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void htmlErrorPageIsAProxys502() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.HTML_ERROR_PAGE, List.of());
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(502);
      assertThat(r.header("content-type")).startsWith("text/html");
      assertThat(r.body().string()).startsWith("<html>").contains("502 Bad Gateway");
    }
  }

  @Test
  void emptyBodyIsA200WithNothingInIt() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.EMPTY_BODY, List.of());
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body().string()).isEmpty();
    }
  }

  @Test
  void malformedBodyIsA200WithBrokenJson() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.MALFORMED_BODY, List.of());
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("content-type")).startsWith("application/json");
      assertThat(r.body().string()).isEqualTo("{\"id\": 12");
    }
  }

  @Test
  void onAUnaryRequestADropCutsTheBodyHalfway() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.DROP_MID_STREAM, List.of("Hel", "lo"));
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(200);
      assertThatThrownBy(() -> r.body().string()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void onAUnaryRequestAStallHoldsTheRestOfTheBody() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.STALL_MID_STREAM, List.of("Hel", "lo"));
    OkHttpClient impatient = client.newBuilder().readTimeout(Duration.ofMillis(300)).build();
    try (Response r = impatient.newCall(request(server.baseUrl() + "/chat/completions", CHAT))
        .execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThatThrownBy(() -> r.body().string()).isInstanceOf(InterruptedIOException.class);
    }
    assertClosesPromptly(server);
  }

  @Test
  void onAUnaryRequestATruncationEndsTheBodyCleanlyHalfway() throws IOException {
    OpenAiMockServer server = openAi().fault(MockFault.TRUNCATED_STREAM, List.of("Hel", "lo"));
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      String body = r.body().string();
      assertThat(body).startsWith("{\"id\":\"chatcmpl-");
      assertThatThrownBy(() -> JSON.readTree(body)).isInstanceOf(IOException.class);
    }
  }

  // ---- pacing, recording, disconnects

  @Test
  void paceWaitsBeforeEachChunkOfTheNextStreamOnly() throws IOException {
    OpenAiMockServer server = openAi().pace(Duration.ofMillis(100))
        .streamText(List.of("a", "b", "c"), USAGE).streamText(List.of("d"), USAGE);
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      long start = System.nanoTime();
      List<String> events = events(r.body().string());
      // role, 3 deltas, finish, usage, [DONE]: 7 pauses of 100 ms, the first before the body
      assertThat(events).hasSize(7);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
    }
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      assertThat(events(r.body().string())).hasSize(5);
    }
  }

  @Test
  void takeRequestRecordsMethodTargetLowerCasedHeadersAndBody() throws IOException {
    OpenAiMockServer server = openAi().replyText("a", USAGE).replyText("b", USAGE);
    Request request = new Request.Builder().url(server.baseUrl() + "/chat/completions?x=1")
        .header("Authorization", "Bearer " + KEY).header("X-Custom-Trace", "t-1")
        .post(RequestBody.create(CHAT, APPLICATION_JSON)).build();
    client.newCall(request).execute().close();
    post(server.baseUrl() + "/chat/completions", CHAT).close();
    MockRequest first = server.takeRequest();
    assertThat(first.method()).isEqualTo("POST");
    assertThat(first.target()).isEqualTo("/v1/chat/completions?x=1");
    assertThat(first.headers()).containsEntry("authorization", "Bearer " + KEY)
        .containsEntry("x-custom-trace", "t-1");
    assertThat(first.header("X-Custom-Trace")).isEqualTo("t-1");
    assertThat(first.body()).isEqualTo(CHAT);
    assertThat(first.toString()).doesNotContain(KEY);
    assertThat(server.takeRequest().target()).isEqualTo("/v1/chat/completions");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void takeRequestFailsWhenNoRequestArrives() {
    OpenAiMockServer server = openAi();
    assertThatThrownBy(server::takeRequest).isInstanceOf(AssertionError.class)
        .hasMessageContaining("no request");
  }

  @Test
  void awaitClientDisconnectSeesTheClientCancelAStreamMidway() throws IOException {
    OpenAiMockServer server = openAi().pace(Duration.ofMillis(50))
        .streamText(Collections.nCopies(200, "x"), USAGE);
    Call call = client.newCall(request(server.baseUrl() + "/chat/completions", STREAM));
    try (Response r = call.execute()) {
      nextEvent(r.body().source());
      call.cancel();
      assertThat(server.awaitClientDisconnect()).isTrue();
      assertThat(server.awaitStreamWritten(Duration.ZERO)).isFalse();
    }
  }

  @Test
  void aStreamReadToItsEndIsWrittenAndTheConnectionServesTheNextRequest() throws IOException {
    OpenAiMockServer server = openAi().streamText(DELTAS, USAGE).streamText(DELTAS, USAGE)
        .replyText("done", USAGE);
    for (int i = 0; i < 2; i++) {
      try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
        assertThat(events(r.body().string())).last().isEqualTo("[DONE]");
      }
      assertThat(server.awaitStreamWritten(Duration.ofSeconds(5))).isTrue();
    }
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(JSON.readTree(r.body().string()).path("choices").path(0).path("message")
          .path("content").asText()).isEqualTo("done");
    }
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void anAnswerIsServedInTheShapeTheRequestAskedFor() throws IOException {
    OpenAiMockServer server = openAi().streamText(List.of("Hel", "lo"), USAGE)
        .replyText("Hello", USAGE);
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(JSON.readTree(r.body().string()).path("choices").path(0).path("message")
          .path("content").asText()).isEqualTo("Hello");
    }
    try (Response r = post(server.baseUrl() + "/chat/completions", STREAM)) {
      List<String> events = events(r.body().string());
      assertThat(content(events.get(1))).isEqualTo("Hello");
    }
  }

  @Test
  void unknownPathsGetOpenAis404AndTakeNoAnswer() throws IOException {
    OpenAiMockServer server = openAi().replyText("kept", USAGE);
    try (Response r = post(server.baseUrl() + "/chat/complete", CHAT)) {
      assertThat(r.code()).isEqualTo(404);
      assertThat(r.body().string()).contains("Invalid URL (POST /v1/chat/complete)");
    }
    assertThat(server.unconsumed()).isEqualTo(1);
  }

  @Test
  void aRequestWithNoAnswerLeftGetsA500NamingIt() throws IOException {
    OpenAiMockServer server = openAi();
    try (Response r = post(server.baseUrl() + "/chat/completions", CHAT)) {
      assertThat(r.code()).isEqualTo(500);
      assertThat(r.body().string()).contains("no response was scripted for request #1");
    }
  }

  @Test
  void aChatAnswerScriptedForAnEmbeddingsRequestIsA400() throws IOException {
    OpenAiMockServer server = openAi().replyText("x", USAGE);
    try (Response r = post(server.baseUrl() + "/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\"]}")) {
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.body().string()).contains("mock_script_mismatch");
    }
  }

  /** Azure OpenAI's URLs, stream prelude, content-filter annotations and error shapes. */
  @Nested
  class Azure {
    private static final String VERSION = "2024-10-21";

    @Test
    void deploymentUrlAnswersWithAzuresShapeAndTheDeploymentAsModel() throws IOException {
      OpenAiMockServer server = azure().replyText("Yes.", USAGE);
      try (Response r = post(server.baseUrl() + "/openai/deployments/my-gpt/chat/completions"
          + "?api-version=" + VERSION, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("x-request-id")).isNotNull();
        assertThat(r.header("apim-request-id")).isNotNull();
        assertThat(r.headers().names()).contains("x-ratelimit-remaining-requests",
            "x-ratelimit-remaining-tokens");
        JsonNode body = JSON.readTree(r.body().string());
        assertThat(shape(body)).isEqualTo(shape(fixture("azure/chat-response-with-filters.json")));
        assertThat(body.path("model").asText()).isEqualTo("my-gpt");
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isSorted();
      }
      assertThat(server.takeRequest().target())
          .isEqualTo("/openai/deployments/my-gpt/chat/completions?api-version=" + VERSION);
    }

    @Test
    void deploymentUrlWithoutApiVersionIsNotFoundAndTakesNoAnswer() throws IOException {
      OpenAiMockServer server = azure().replyText("kept", USAGE);
      try (Response r = post(server.baseUrl() + "/openai/deployments/my-gpt/chat/completions",
          CHAT)) {
        assertThat(r.code()).isEqualTo(404);
        assertThat(JSON.readTree(r.body().string()).path("error").path("message").asText())
            .isEqualTo("Resource not found");
      }
      assertThat(server.unconsumed()).isEqualTo(1);
    }

    @Test
    void v1UrlTakesTheModelFromTheBody() throws IOException {
      OpenAiMockServer server = azure().replyText("Yes.", USAGE)
          .replyEmbeddings(List.of(new float[] {1f}), 3);
      try (Response r = post(server.baseUrl() + "/openai/v1/chat/completions", CHAT)) {
        assertThat(JSON.readTree(r.body().string()).path("model").asText()).isEqualTo("gpt-4.1");
      }
      try (Response r = post(server.baseUrl() + "/openai/v1/embeddings",
          "{\"model\":\"emb\",\"input\":[\"a\"]}")) {
        assertThat(JSON.readTree(r.body().string()).path("data")).hasSize(1);
      }
    }

    @Test
    void streamOpensWithPromptFilterResultsAndCarriesContentFilterResults() throws IOException {
      OpenAiMockServer server = azure().streamText(DELTAS, USAGE);
      try (Response r = post(server.baseUrl() + "/openai/deployments/my-gpt/chat/completions"
          + "?api-version=" + VERSION, STREAM)) {
        assertThat(r.header("content-type")).startsWith("text/event-stream");
        List<String> events = events(r.body().string());
        List<String> fixture = events(resource("azure/chat-stream-with-filters.sse"));
        assertThat(events).hasSize(DELTAS.size() + 5).last().isEqualTo("[DONE]");
        JsonNode first = read(events.get(0));
        assertThat(first.path("choices")).isEmpty();
        assertThat(first.path("id").asText()).isEmpty();
        assertThat(shape(first)).isEqualTo(shape(fixture.get(0)));
        assertThat(shape(events.get(1))).isEqualTo(shape(fixture.get(1)));
        assertThat(shape(events.get(2))).isEqualTo(shape(fixture.get(2)));
        assertThat(shape(events.get(events.size() - 3)))
            .isEqualTo(shape(fixture.get(fixture.size() - 3)));
        assertThat(shape(events.get(events.size() - 2)))
            .isEqualTo(shape(fixture.get(fixture.size() - 2)));
        assertThat(read(events.get(2)).path("choices").path(0).path("content_filter_results")
            .path("violence").path("severity").asText()).isEqualTo("safe");
      }
    }

    @ParameterizedTest
    @EnumSource(MockError.class)
    void errorsUseAzuresStatusAndCode(MockError error) throws IOException {
      OpenAiMockServer server = azure().error(error);
      try (Response r = post(server.baseUrl() + "/openai/v1/chat/completions", CHAT)) {
        assertThat(r.code()).isEqualTo(status(error));
        JsonNode body = JSON.readTree(r.body().string());
        assertThat(body.path("error").path("code").asText(null)).isEqualTo(azureCode(error));
        assertThat(body.path("error").path("message").asText()).isNotEmpty();
      }
    }

    @Test
    void contentFilterErrorHasTheResponsibleAiInnerError() throws IOException {
      OpenAiMockServer server = azure().error(MockError.CONTENT_FILTERED);
      try (Response r = post(server.baseUrl() + "/openai/v1/chat/completions", CHAT)) {
        JsonNode body = JSON.readTree(r.body().string());
        assertThat(shape(body)).isEqualTo(shape(fixture("azure/error-400-content-filter.json")));
        assertThat(body.path("error").path("innererror").path("code").asText())
            .isEqualTo("ResponsibleAIPolicyViolation");
      }
    }

    @Test
    void rateLimitedCarriesRetryAfterAndRetryAfterMs() throws IOException {
      OpenAiMockServer server = azure().error(MockError.RATE_LIMITED);
      try (Response r = post(server.baseUrl() + "/openai/deployments/d/chat/completions"
          + "?api-version=" + VERSION, CHAT)) {
        assertThat(r.header("retry-after")).isEqualTo("2");
        assertThat(r.header("retry-after-ms")).isEqualTo("2000");
        assertThat(lowerCase(r.headers().names()))
            .containsAll(headerNames("azure/error-429.headers"));
        JsonNode body = JSON.readTree(r.body().string());
        assertThat(shape(body)).isEqualTo(shape(fixture("azure/error-429.json")));
        assertThat(body.path("error").path("message").asText()).contains(VERSION)
            .contains("retry after 2 seconds");
      }
    }
  }

  // ---- expectations

  private static int status(MockError error) {
    switch (error) {
      case CONTEXT_LENGTH:
      case INVALID_REQUEST:
      case QUOTES_PROMPT:
      case CONTENT_FILTERED:
        return 400;
      case AUTHENTICATION:
        return 401;
      case PERMISSION:
        return 403;
      case MODEL_NOT_FOUND:
        return 404;
      case RATE_LIMITED:
      case RATE_LIMITED_BY_PROXY:
      case QUOTA_EXHAUSTED:
        return 429;
      case SERVER_ERROR:
        return 500;
      default:
        return 503;
    }
  }

  private static @Nullable String openAiCode(MockError error) {
    return Map.of(MockError.CONTEXT_LENGTH, "context_length_exceeded",
        MockError.INVALID_REQUEST, "invalid_type",
        MockError.QUOTES_PROMPT, "invalid_value",
        MockError.CONTENT_FILTERED, "content_filter",
        MockError.PERMISSION, "unsupported_country_region_territory",
        MockError.MODEL_NOT_FOUND, "model_not_found",
        MockError.RATE_LIMITED, "rate_limit_exceeded",
        MockError.QUOTA_EXHAUSTED, "insufficient_quota").get(error);
  }

  private static @Nullable String azureCode(MockError error) {
    return Map.of(MockError.CONTEXT_LENGTH, "context_length_exceeded",
        MockError.INVALID_REQUEST, "invalid_type",
        MockError.QUOTES_PROMPT, "invalid_value",
        MockError.CONTENT_FILTERED, "content_filter",
        MockError.AUTHENTICATION, "401",
        MockError.PERMISSION, "PermissionDenied",
        MockError.MODEL_NOT_FOUND, "DeploymentNotFound",
        MockError.RATE_LIMITED, "429",
        MockError.QUOTA_EXHAUSTED, "insufficient_quota",
        MockError.UNAVAILABLE, "ServiceUnavailable").get(error);
  }

  private static @Nullable String openAiFixture(MockError error) {
    return Map.of(MockError.CONTEXT_LENGTH, "openai/error-400-context-length.json",
        MockError.MODEL_NOT_FOUND, "openai/error-404-model-not-found.json",
        MockError.RATE_LIMITED, "openai/error-429-rate-limit.json",
        MockError.QUOTA_EXHAUSTED, "openai/error-429-insufficient-quota.json",
        MockError.SERVER_ERROR, "openai/error-500.json").get(error);
  }

  // ---- helpers

  private Response post(String url, String json) throws IOException {
    return client.newCall(request(url, json)).execute();
  }

  private static Request request(String url, String json) {
    return new Request.Builder().url(url).post(RequestBody.create(json, APPLICATION_JSON)).build();
  }

  private static void assertClosesPromptly(OpenAiMockServer server) {
    long start = System.nanoTime();
    server.close();
    // a stall left alone lasts 60 s; the server must release it when it closes
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  /** The data of each event of a whole SSE body, checking the framing: one data line each. */
  static List<String> events(String body) {
    assertThat(body).endsWith("\n\n");
    String[] parts = body.substring(0, body.length() - 2).split("\n\n", -1);
    List<String> data = new ArrayList<>(parts.length);
    for (String part : parts) {
      assertThat(part).startsWith("data: ").doesNotContain("\n");
      data.add(part.substring(6));
    }
    return data;
  }

  /** Reads one event (its data line and the blank line after it) as it arrives. */
  private static String nextEvent(BufferedSource source) throws IOException {
    String line = source.readUtf8LineStrict();
    assertThat(line).startsWith("data: ");
    assertThat(source.readUtf8LineStrict()).isEmpty();
    return line.substring(6);
  }

  private static String content(String event) {
    return read(event).path("choices").path(0).path("delta").path("content").asText();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SortedSet<String> shape(String json) {
    return shape(read(json));
  }

  /** Every path of a JSON value with its value's type; array elements share the path {@code []}. */
  static SortedSet<String> shape(JsonNode node) {
    SortedSet<String> out = new TreeSet<>();
    shape("$", node, out);
    return out;
  }

  private static void shape(String path, JsonNode node, Set<String> out) {
    if (node.isObject()) {
      out.add(path + ": object");
      node.properties().forEach(e -> shape(path + "." + e.getKey(), e.getValue(), out));
    } else if (node.isArray()) {
      out.add(path + ": array");
      node.forEach(e -> shape(path + "[]", e, out));
    } else {
      out.add(path + ": " + (node.isNull() ? "null" : node.isTextual() ? "string"
          : node.isNumber() ? "number" : node.isBoolean() ? "boolean" : node.getNodeType()));
    }
  }

  private static SortedSet<String> withoutUsage(SortedSet<String> shape) {
    Predicate<String> usage = s -> s.startsWith("$.usage");
    return shape.stream().filter(usage.negate()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static JsonNode fixture(String name) {
    return read(resource(name));
  }

  private static Set<String> lowerCase(Set<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  private static Set<String> headerNames(String name) {
    return resource(name).lines().filter(l -> !l.isBlank())
        .map(l -> l.substring(0, l.indexOf(':')).trim()).collect(Collectors.toSet());
  }

  private static String resource(String name) {
    try (InputStream in = OpenAiMockServerTest.class.getResourceAsStream("/fixtures/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
