package dev.llmgateway.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact JSON, URL and headers the Gemini transport sends. */
class GeminiRequestWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "AIzaSyWIRE-test-0123456789abcdefghijk";
  private static final String SIGNATURE =
      "CiQBcsjafGv0rYkqVd3hZf1WmJ8nQ2uS6tL5cPbX0oE7yKzA9wMSKwFyyNp8sJd1mQx4T2vR6nB8cY0fK3hW5uE9pL2aZ7oV1iD4tG6bN0jQ";
  private static final String OK = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],"
      + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":"
      + "{\"promptTokenCount\":5,\"candidatesTokenCount\":1,\"totalTokenCount\":6}}";
  private static final byte[] PNG = java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgA"
      + "AAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
  private static final byte[] PDF = java.util.Base64.getDecoder().decode("JVBERi0xLjQKJcOkw7zDtsO"
      + "fCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDwvUm9vdCAxIDAgUj4+CiUlRU9GCg==");

  private final MockWebServer server = new MockWebServer();
  private GeminiProvider provider;

  @BeforeEach
  void start() throws Exception {
    server.start();
    provider = GeminiProvider.builder().baseUrl(server.url("/v1beta").toString()).apiKey(KEY)
        .executor(Runnable::run).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  static String fixture(String path) {
    try (InputStream in = GeminiRequestWireTest.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AttemptContext attempt(String model) {
    return AttemptContext.standalone(new Deployment("gemini", model));
  }

  private RecordedRequest send(ChatRequest request) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json").body(OK).build());
    provider.chat(request, attempt(request.model()));
    return server.takeRequest();
  }

  private static JsonNode json(RecordedRequest r) throws IOException {
    return JSON.readTree(r.getBody().utf8());
  }

  /** The request of the fixture: everything the encoder writes. */
  static ChatRequest everything() {
    return ChatRequest.builder("gemini-2.5-flash")
        .system("You are a concise travel assistant.")
        .message(Message.user(ContentPart.text("Here is my ticket and a photo of the station. "
                + "What is the weather at my destination?"),
            ContentPart.image(PNG, "image/png"), ContentPart.document(PDF, "application/pdf")))
        .message(Message.assistant(List.of(), List.of(new ToolCall("fc_9b2e41d07c", "get_weather",
            "{\"city\":\"Lyon\",\"unit\":\"celsius\"}").withSignature(SIGNATURE,
                GeminiProvider.FORMAT))))
        .message(Message.toolResult("fc_9b2e41d07c", "14 C, light rain"))
        .tool(ToolDefinition.of("get_weather", "Current weather in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
                + "\"description\":\"The city\"},\"unit\":{\"type\":\"string\",\"enum\":"
                + "[\"celsius\",\"fahrenheit\"]}},\"required\":[\"city\",\"unit\"]}"))
        .toolChoice(ToolChoice.tool("get_weather"))
        .responseFormat(ResponseFormat.jsonSchema("summary", "{\"type\":\"object\",\"properties\":"
            + "{\"summary\":{\"type\":\"string\"}},\"required\":[\"summary\"]}"))
        .reasoning(ReasoningConfig.budget(1024))
        .temperature(0.2)
        .topP(0.9)
        .maxOutputTokens(2048)
        .stop("END")
        .seed(7L)
        .build();
  }

  @Test
  void everyFieldIsSentAsTheFixtureShowsWithTheKeyInAHeaderOnly() throws Exception {
    RecordedRequest sent = send(everything());

    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getTarget()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.getTarget()).doesNotContain("key=").doesNotContain(KEY);
    assertThat(sent.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(sent.getHeaders().get("authorization")).isNull();
    assertThat(sent.getHeaders().get("content-type")).startsWith("application/json");
    assertThat(json(sent)).isEqualTo(JSON.readTree(fixture("gemini/generate-request.json")));
  }

  /**
   * After a failover the conversation holds another provider's signed parts: Gemini gets only its
   * own signatures, each on the part that carried it, and nothing of the others.
   */
  @Test
  void reasoningAndSignaturesOfAnotherFormatAreNotSentAndItsOwnGoBackOnTheirParts()
      throws Exception {
    String anthropicSignature = "EuYBCkQYAiJAgCs1le6/Pol5Z4/JMomVOouGrWdhYNsH3ukz==";
    String textSignature = "EpYDCpMDAXLI2nxk3mTqLz9vW1bQy8sR4pHn0cJ6fUe2dA7g==";
    RecordedRequest sent = send(ChatRequest.builder("gemini-2.5-flash")
        .user("Weather and time in Paris?")
        .message(Message.assistant(List.of(
                new ContentPart.Reasoning("Anthropic's thinking", anthropicSignature, null,
                    "anthropic"),
                new ContentPart.Reasoning(null, null, "EmwKAhgBEgy3va3pzix", "anthropic"),
                new ContentPart.Reasoning(null, textSignature, null, GeminiProvider.FORMAT),
                ContentPart.text("Let me look both up.")),
            List.of(new ToolCall("fc_1", "get_weather", "{\"city\":\"Paris\"}")
                    .withSignature(SIGNATURE, GeminiProvider.FORMAT),
                new ToolCall("toolu_2", "get_time", "{\"zone\":\"Europe/Paris\"}")
                    .withSignature(anthropicSignature, "anthropic"))))
        .message(Message.toolResult("fc_1", "{\"celsius\":14}"))
        .message(Message.toolResult("toolu_2", "10:00"))
        .build());

    JsonNode model = json(sent).path("contents").path(1);
    assertThat(model.path("parts")).isEqualTo(JSON.readTree("["
        + "{\"text\":\"Let me look both up.\",\"thoughtSignature\":\"" + textSignature + "\"},"
        + "{\"functionCall\":{\"id\":\"fc_1\",\"name\":\"get_weather\",\"args\":{\"city\":"
        + "\"Paris\"}},\"thoughtSignature\":\"" + SIGNATURE + "\"},"
        + "{\"functionCall\":{\"id\":\"toolu_2\",\"name\":\"get_time\",\"args\":{\"zone\":"
        + "\"Europe/Paris\"}}}]"));
    assertThat(sent.getBody().utf8()).doesNotContain(anthropicSignature)
        .doesNotContain("Anthropic's thinking").doesNotContain("EmwKAhgBEgy3va3pzix");
  }

  @Test
  void aStreamGoesToStreamGenerateContentWithAltSse() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "text/event-stream")
        .body(fixture("gemini/stream-text.sse")).build());
    ChatStream.of(provider.stream(ChatRequest.of("gemini-2.5-flash", "hi"),
        attempt("gemini-2.5-flash"))).collect();
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getTarget())
        .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(sent.getHeaders().get("accept")).isEqualTo("text/event-stream");
    assertThat(json(sent)).isEqualTo(JSON.readTree(
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"));
  }

  @Test
  void systemMessagesGoToSystemInstructionWhereverTheyStand() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("gemini-2.5-flash").system("Be brief.")
        .user("Hi").message(Message.assistant("Hello.")).system("Answer in French.")
        .user("Bye").build());
    assertThat(json(sent)).isEqualTo(JSON.readTree("{\"systemInstruction\":{\"parts\":["
        + "{\"text\":\"Be brief.\"},{\"text\":\"Answer in French.\"}]},\"contents\":["
        + "{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]},"
        + "{\"role\":\"model\",\"parts\":[{\"text\":\"Hello.\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"text\":\"Bye\"}]}]}"));
  }

  @Test
  void parallelToolResultsAreOneTurnNamedAfterTheirCallsWithObjectsSentAsThey() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("gemini-2.5-flash").user("Weather and time?")
        .message(Message.assistant(List.of(), List.of(
            new ToolCall("gemini_call_0", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("gemini_call_1", "get_time", "{\"zone\":\"Asia/Tokyo\"}"))))
        .message(Message.toolResult("gemini_call_0", "{\"celsius\":21}"))
        .message(Message.toolResult("gemini_call_1", "09:30"))
        .build());
    assertThat(json(sent).get("contents")).isEqualTo(JSON.readTree("["
        + "{\"role\":\"user\",\"parts\":[{\"text\":\"Weather and time?\"}]},"
        + "{\"role\":\"model\",\"parts\":["
        + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}},"
        + "{\"functionCall\":{\"name\":\"get_time\",\"args\":{\"zone\":\"Asia/Tokyo\"}}}]},"
        + "{\"role\":\"user\",\"parts\":["
        + "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"celsius\":21}}},"
        + "{\"functionResponse\":{\"name\":\"get_time\",\"response\":{\"result\":\"09:30\"}}}]}]"));
  }

  @Test
  void aToolResultForAnUnknownCallIsRejectedBeforeSending() {
    ChatRequest request = ChatRequest.builder("gemini-2.5-flash").user("Hi")
        .message(Message.toolResult("call_nowhere", "42")).build();
    assertThat(catchThrowable(() -> provider.chat(request, attempt("gemini-2.5-flash"))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("call_nowhere");
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"AUTO, {\"mode\":\"AUTO\"}", "NONE, {\"mode\":\"NONE\"}",
      "REQUIRED, {\"mode\":\"ANY\"}"})
  void toolChoiceBecomesAFunctionCallingMode(ToolChoice.Mode mode, String config)
      throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("gemini-2.5-flash").user("Hi")
        .tool(ToolDefinition.of("f", "F", "{\"type\":\"object\"}"))
        .toolChoice(new ToolChoice(mode, null)).build());
    assertThat(json(sent).path("toolConfig").path("functionCallingConfig"))
        .isEqualTo(JSON.readTree(config));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"MINIMAL, 512", "LOW, 1024", "MEDIUM, 8192", "HIGH, 24576"})
  void anEffortBecomesAThinkingBudgetWithThoughtsIncluded(ReasoningConfig.Effort effort,
      int budget) throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("gemini-2.5-flash").user("Hi")
        .reasoning(ReasoningConfig.effort(effort)).build());
    assertThat(json(sent).path("generationConfig").path("thinkingConfig")).isEqualTo(
        JSON.readTree("{\"includeThoughts\":true,\"thinkingBudget\":" + budget + "}"));
  }

  @Test
  void aJsonObjectFormatSendsOnlyTheMimeType() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("gemini-2.5-flash").user("Hi")
        .responseFormat(ResponseFormat.JSON_OBJECT).build());
    assertThat(json(sent).path("generationConfig"))
        .isEqualTo(JSON.readTree("{\"responseMimeType\":\"application/json\"}"));
  }

  @Test
  void imageUrlsAreSentAsFileDataAndDataUrlsInline() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("gemini-2.5-flash")
        .message(Message.user(ContentPart.text("What?"),
            ContentPart.imageUrl("https://example.com/cat.PNG?sig=abc"),
            ContentPart.imageUrl("data:image/jpeg;base64,AQID")))
        .build());
    assertThat(json(sent).path("contents").path(0).path("parts")).isEqualTo(JSON.readTree("["
        + "{\"text\":\"What?\"},"
        + "{\"fileData\":{\"mimeType\":\"image/png\",\"fileUri\":\"https://example.com/cat.PNG?sig=abc\"}},"
        + "{\"inlineData\":{\"mimeType\":\"image/jpeg\",\"data\":\"AQID\"}}]"));
  }

  @Test
  void withFetchingOnAnImageUrlIsDownloadedAndSentInline() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", "image/png")
        .body(new Buffer().write(PNG)).build());
    String url = server.url("/images/station.png").toString();
    try (GeminiProvider fetching = GeminiProvider.builder()
        .baseUrl(server.url("/v1beta").toString()).apiKey(KEY).fetchImageUrls(true)
        .imageAddresses(GeminiImageFetchTest.LOOPBACK_TOO).build()) {
      server.enqueue(new MockResponse.Builder().code(200)
          .addHeader("content-type", "application/json").body(OK).build());
      fetching.chat(ChatRequest.builder("gemini-2.5-flash")
          .message(Message.user(ContentPart.imageUrl(url))).build(), attempt("gemini-2.5-flash"));
    }
    RecordedRequest download = server.takeRequest();
    assertThat(download.getMethod()).isEqualTo("GET");
    assertThat(download.getHeaders().get("x-goog-api-key")).as("the key stays with Google")
        .isNull();
    RecordedRequest sent = server.takeRequest();
    assertThat(json(sent).path("contents").path(0).path("parts").path(0)).isEqualTo(
        JSON.readTree("{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
            + java.util.Base64.getEncoder().encodeToString(PNG) + "\"}}"));
  }

  @Test
  void providerExtrasAndHeadersAreMergedAndExtrasWin() throws Exception {
    ChatRequest request = ChatRequest.builder("gemini-2.5-flash").user("hi").temperature(0.5)
        .providerExtra("gemini", "{\"generationConfig\":{\"temperature\":1.0},"
            + "\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\","
            + "\"threshold\":\"BLOCK_NONE\"}]}")
        .providerExtra("openai", "{\"ignored\":true}")
        .extraHeader("X-Tenant", "acme")
        .build();
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json").body(OK).build());
    provider.chat(request, new AttemptContext("c1", new Deployment("gemini", "gemini-2.5-flash"),
        1, AttemptContext.NO_DEADLINE).header("traceparent", "00-abc-def-01"));
    RecordedRequest sent = server.takeRequest();
    assertThat(json(sent)).isEqualTo(JSON.readTree("{\"contents\":[{\"role\":\"user\","
        + "\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"temperature\":1.0},"
        + "\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\","
        + "\"threshold\":\"BLOCK_NONE\"}]}"));
    assertThat(sent.getHeaders().get("x-tenant")).isEqualTo("acme");
    assertThat(sent.getHeaders().get("traceparent")).isEqualTo("00-abc-def-01");
  }

  @Test
  void thoughtSignaturesOfAnAnswerGoBackByteIdenticalOnTheirParts() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json")
        .body(fixture("gemini/generate-response-function-call.json")).build());
    ChatResponse first = provider.chat(ChatRequest.of("gemini-2.5-flash", "Weather and time?"),
        attempt("gemini-2.5-flash"));
    server.takeRequest();

    RecordedRequest sent = send(ChatRequest.builder("gemini-2.5-flash").user("Weather and time?")
        .message(first.message())
        .message(Message.toolResult(first.toolCalls().get(0).id(), "{\"celsius\":14}"))
        .message(Message.toolResult(first.toolCalls().get(1).id(), "10:00"))
        .build());

    JsonNode answered = JSON.readTree(fixture("gemini/generate-response-function-call.json"))
        .path("candidates").path(0).path("content").path("parts");
    assertThat(json(sent).path("contents").path(1).path("parts")).isEqualTo(answered);
  }

  @Test
  void embeddingsBatchEveryInputWithItsModelAndDimensionsAndEstimateUsage() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json")
        .body(fixture("gemini/batch-embed-response.json")).build());
    EmbeddingResponse response = provider.embed(EmbeddingRequest.of("gemini-embedding-001",
        "What is the meaning of life?", "How much wood would a woodchuck chuck?")
        .withDimensions(4), attempt("gemini-embedding-001"));
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getTarget()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(sent.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(json(sent)).isEqualTo(JSON.readTree(fixture("gemini/batch-embed-request.json")));
    assertThat(response.size()).isEqualTo(2);
    assertThat(response.vector(0)).containsExactly(-0.0223f, 0.0129f, 0.0211f, -0.0671f);
    assertThat(response.vector(1)).containsExactly(0.0115f, -0.0376f, 0.0094f, -0.0526f);
    assertThat(response.usage().estimated()).isTrue();
    assertThat(response.usage().inputTokens()).isPositive();
  }

  /**
   * Issue 23.6: an embeddings answer that reports its input tokens ({@code
   * usageMetadata.promptTokenCount}, as Vertex AI documents it on {@code embedContent}) is billed
   * by them, not by the gateway's estimate.
   */
  @Test
  void reportedEmbeddingTokensAreUsedAndNotEstimated() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json")
        .body(fixture("gemini/batch-embed-response-usage.json")).build());
    EmbeddingResponse response = provider.embed(EmbeddingRequest.of("gemini-embedding-001",
        "What is the meaning of life?", "How much wood would a woodchuck chuck?")
        .withDimensions(4), attempt("gemini-embedding-001"));
    assertThat(response.size()).isEqualTo(2);
    assertThat(response.usage()).isEqualTo(Usage.of(17, 0));
    assertThat(response.usage().estimated()).isFalse();
  }

  @Test
  void aKeyInTheBaseUrlIsRefused() {
    assertThat(catchThrowable(() -> GeminiProvider.builder()
        .baseUrl("https://generativelanguage.googleapis.com/v1beta?key=AIzaSyX")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("AIzaSyX");
    try (GeminiProvider p = GeminiProvider.builder().apiKey(KEY).build()) {
      assertThat(p.toString()).doesNotContain(KEY);
    }
  }

  @Test
  void anEmbeddingModelCannotChat() {
    assertThat(catchThrowable(() -> provider.chat(ChatRequest.of("gemini-embedding-001", "hi"),
        attempt("gemini-embedding-001")))).isInstanceOf(GatewayException.class);
  }
}
