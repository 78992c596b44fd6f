package dev.llmgateway.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CacheControl;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Role;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact JSON, URL and headers the transport sends for representative requests. */
class AnthropicRequestWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-ant-api03-wire-test-0123456789";
  private static final String OK = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}";
  private static final String SIGNATURE = "EuYBCkQYAiJAgCs1le6/Pol5Z4/JMomVOouGrWdhYNsH3ukzUECbB6iW"
      + "rSQtsQuRHJID6lWV8xqTqAVyAoFvrd7wMV7AkeIBxEVFBOP0SBIgA1DBKpkKt8AGhUFiDzOJRUMJ9w9aGgzRL1FOTxYa"
      + "5/ThxQuaDzW8tAN63cEDkvdBvB+f1n3D3o8x";
  private static final String REDACTED = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa"
      + "8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pFmL8Ofrb6IoqTU/DdSgx";

  private final MockWebServer server = new MockWebServer();
  private AnthropicProvider provider;

  @BeforeEach
  void start() throws Exception {
    server.start();
    provider = AnthropicProvider.builder().baseUrl(server.url("/").toString()).apiKey(KEY)
        .betas("context-1m-2025-08-07", "interleaved-thinking-2025-05-14")
        .executor(Runnable::run).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private RecordedRequest send(ChatRequest request) throws InterruptedException {
    return send(provider, request, AttemptContext.standalone(new Deployment("anthropic",
        request.model())));
  }

  private RecordedRequest send(AnthropicProvider p, ChatRequest request, AttemptContext attempt)
      throws InterruptedException {
    server.enqueue(new MockResponse.Builder().code(200)
        .setHeader("content-type", "application/json").body(OK).build());
    p.chat(request, attempt);
    return server.takeRequest();
  }

  private static JsonNode tree(String json) throws IOException {
    return JSON.readTree(json);
  }

  private static JsonNode fixture(String name) throws IOException {
    try (InputStream in = AnthropicRequestWireTest.class.getResourceAsStream(
        "/fixtures/anthropic/" + name)) {
      return JSON.readTree(in);
    }
  }

  @Test
  void aPlainRequestGoesToV1MessagesWithTheKeyVersionAndBetaHeadersAndItsSystemOnTop()
      throws Exception {
    AttemptContext attempt = AttemptContext.standalone(new Deployment("anthropic",
        "claude-sonnet-4-5")).header("traceparent", "00-abc-def-01");
    RecordedRequest sent = send(provider, ChatRequest.builder("claude-sonnet-4-5")
        .system("You are a terse assistant.")
        .user("Hello, Claude")
        .temperature(0.2)
        .maxOutputTokens(1024)
        .stop("END")
        .extraHeader("x-tenant", "t-42")
        .build(), attempt);

    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getTarget()).isEqualTo("/v1/messages");
    assertThat(sent.getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(sent.getHeaders().get("authorization")).isNull();
    assertThat(sent.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.getHeaders().get("anthropic-beta"))
        .isEqualTo("context-1m-2025-08-07,interleaved-thinking-2025-05-14");
    assertThat(sent.getHeaders().get("x-tenant")).isEqualTo("t-42");
    assertThat(sent.getHeaders().get("traceparent")).isEqualTo("00-abc-def-01");
    assertThat(tree(sent.getBody().utf8())).isEqualTo(fixture("messages-request-basic.json"));
    assertThat(sent.getBody().utf8()).isEqualTo("{\"model\":\"claude-sonnet-4-5\","
        + "\"max_tokens\":1024,\"system\":\"You are a terse assistant.\",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"Hello, Claude\"}],\"temperature\":0.2,"
        + "\"stop_sequences\":[\"END\"]}");
  }

  @Test
  void cacheHintsBecomeCacheControlBlocksWithAOneHourTtlWhereAsked() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("claude-sonnet-4-5")
        .message(new Message(Role.SYSTEM, List.of(
            ContentPart.text("You are a support agent for Example Corp."),
            new ContentPart.Text("<policy>... a long policy document ...</policy>",
                CacheControl.ONE_HOUR)), List.of(), null, null))
        .message(Message.user(
            new ContentPart.Text("<ticket>... a long ticket ...</ticket>", CacheControl.EPHEMERAL),
            ContentPart.text("Summarise this ticket.")))
        .maxOutputTokens(1024)
        .build());

    assertThat(tree(sent.getBody().utf8()))
        .isEqualTo(fixture("messages-request-cache-control.json"));
  }

  @Test
  void imagesByBytesAndUrlAndPdfDocumentsBecomeTheirBlocks() throws Exception {
    JsonNode expected = fixture("messages-request-blocks.json");
    JsonNode blocks = expected.path("messages").get(0).path("content");
    byte[] png = Base64.getDecoder().decode(blocks.get(0).path("source").path("data").asText());
    byte[] pdf = Base64.getDecoder().decode(blocks.get(2).path("source").path("data").asText());

    RecordedRequest sent = send(ChatRequest.builder("claude-sonnet-4-5")
        .message(Message.user(
            ContentPart.image(png, "image/png"),
            ContentPart.imageUrl(blocks.get(1).path("source").path("url").asText()),
            new ContentPart.Document(pdf, "application/pdf", "invoice.pdf", null),
            ContentPart.text("Describe the images and summarise the document.")))
        .maxOutputTokens(1024)
        .build());

    assertThat(tree(sent.getBody().utf8())).isEqualTo(expected);
  }

  @Test
  void thinkingAndRedactedThinkingGoBackByteIdenticalWithToolsAndTheThinkingBudget()
      throws Exception {
    ToolCall call = new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
        "{\"city\":\"Paris\",\"unit\":\"celsius\"}");
    RecordedRequest sent = send(ChatRequest.builder("claude-sonnet-4-5")
        .user("What is the weather in Paris?")
        .message(Message.assistant(List.of(
            new ContentPart.Reasoning("The user wants the weather in Paris. I should call "
                + "get_weather.", SIGNATURE, null),
            new ContentPart.Reasoning(null, null, REDACTED)), List.of(call)))
        .message(Message.toolResult(call.id(), "22 C, sunny"))
        .tool(ToolDefinition.of("get_weather", "Current weather in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{"
                + "\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
                + "\"required\":[\"city\",\"unit\"]}"))
        .toolChoice(ToolChoice.AUTO)
        .reasoning(ReasoningConfig.budget(10_000))
        .maxOutputTokens(16_000)
        .build());

    String body = sent.getBody().utf8();
    assertThat(tree(body)).isEqualTo(fixture("messages-request-tools-thinking.json"));
    assertThat(body).contains("\"signature\":\"" + SIGNATURE + "\"")
        .contains("\"data\":\"" + REDACTED + "\"");
  }

  /**
   * After a failover the conversation holds another provider's signed parts: Anthropic gets only
   * its own, unchanged, and the request is the same as if the others had never been there.
   */
  @Test
  void reasoningAndSignaturesOfAnotherFormatAreNotSentAndItsOwnGoBackUnchanged()
      throws Exception {
    String geminiThought = "CiQBcsjafGv0rYkq+Vd3hZf1WmJ8nQ2u/S6tL5cPbX0oE7yKzA9w=";
    String geminiCall = "Ev8BCvwBAXLI2nz+/k9Q3x7W1bQy8sR4pHn0cJ6fUe2dA7gK5tB3wV==";
    ToolCall call = new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
        "{\"city\":\"Paris\",\"unit\":\"celsius\"}").withSignature(geminiCall, "gemini");
    RecordedRequest sent = send(ChatRequest.builder("claude-sonnet-4-5")
        .user("What is the weather in Paris?")
        .message(Message.assistant(List.of(
            new ContentPart.Reasoning("**Weather lookup**", geminiThought, null, "gemini"),
            new ContentPart.Reasoning(null, geminiThought, null, "gemini"),
            new ContentPart.Reasoning("The user wants the weather in Paris. I should call "
                + "get_weather.", SIGNATURE, null, AnthropicProvider.FORMAT),
            new ContentPart.Reasoning(null, null, REDACTED, AnthropicProvider.FORMAT),
            new ContentPart.Reasoning("unsigned thoughts of a compatible endpoint", null, null,
                "openai")), List.of(call)))
        .message(Message.toolResult(call.id(), "22 C, sunny"))
        .tool(ToolDefinition.of("get_weather", "Current weather in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{"
                + "\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
                + "\"required\":[\"city\",\"unit\"]}"))
        .toolChoice(ToolChoice.AUTO)
        .reasoning(ReasoningConfig.budget(10_000))
        .maxOutputTokens(16_000)
        .build());

    String body = sent.getBody().utf8();
    assertThat(tree(body)).isEqualTo(fixture("messages-request-tools-thinking.json"));
    assertThat(body).doesNotContain(geminiThought).doesNotContain(geminiCall)
        .doesNotContain("Weather lookup").doesNotContain("unsigned thoughts");
  }

  @Test
  void consecutiveToolResultsAndTheNextUserTextShareOneUserTurn() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("claude-sonnet-4-5")
        .user("Weather and time?")
        .message(Message.assistant(List.of(), List.of(
            new ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("toolu_2", "get_time", "{\"zone\":\"Asia/Tokyo\"}"))))
        .message(Message.toolResult("toolu_1", "22 C"))
        .message(Message.toolResult("toolu_2", "09:00"))
        .user("And tomorrow?")
        .maxOutputTokens(100)
        .toolChoice(ToolChoice.REQUIRED)
        .build());

    assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("{\"model\":\"claude-sonnet-4-5\","
        + "\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Weather and time?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\","
        + "\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},{\"type\":\"tool_use\","
        + "\"id\":\"toolu_2\",\"name\":\"get_time\",\"input\":{\"zone\":\"Asia/Tokyo\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
        + "\"content\":\"22 C\"},{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\","
        + "\"content\":\"09:00\"},{\"type\":\"text\",\"text\":\"And tomorrow?\"}]}],"
        + "\"tool_choice\":{\"type\":\"any\"}}"));
  }

  @ParameterizedTest
  @CsvSource({
      "claude-sonnet-4-5-20250929, 16384",
      "claude-opus-4-1, 16384",
      "claude-haiku-4-5, 16384",
      "claude-3-7-sonnet-latest, 16384",
      "claude-3-5-haiku-latest, 8192",
      "claude-3-haiku-20240307, 4096",
      "some-proxy-model, 4096"})
  void aRequestWithoutMaxTokensGetsTheModelFamilyDefault(String model, int expected)
      throws Exception {
    RecordedRequest sent = send(ChatRequest.of(model, "hi"));

    assertThat(tree(sent.getBody().utf8()).path("max_tokens").asInt()).isEqualTo(expected);
  }

  @Test
  void aThinkingBudgetAboveTheDefaultRaisesMaxTokensAboveIt() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("claude-3-haiku-20240307").user("hi")
        .reasoning(ReasoningConfig.effort(ReasoningConfig.Effort.HIGH)).build());

    JsonNode body = tree(sent.getBody().utf8());
    assertThat(body.path("thinking")).isEqualTo(
        tree("{\"type\":\"enabled\",\"budget_tokens\":32000}"));
    assertThat(body.path("max_tokens").asInt()).isEqualTo(32_000 + 4096);
  }

  @ParameterizedTest
  @CsvSource({"MINIMAL, 1024", "LOW, 4096", "MEDIUM, 10000", "HIGH, 32000"})
  void effortLevelsMapToThinkingBudgets(ReasoningConfig.Effort effort, int budget)
      throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("claude-sonnet-4-5").user("hi")
        .maxOutputTokens(64_000).reasoning(ReasoningConfig.effort(effort)).build());

    assertThat(tree(sent.getBody().utf8()).path("thinking").path("budget_tokens").asInt())
        .isEqualTo(budget);
  }

  @Test
  void aZeroBudgetTurnsThinkingOffAndASmallOneIsRaisedToTheMinimum() throws Exception {
    JsonNode off = tree(send(ChatRequest.builder("claude-sonnet-4-5").user("hi")
        .reasoning(ReasoningConfig.budget(0)).build()).getBody().utf8());
    JsonNode small = tree(send(ChatRequest.builder("claude-sonnet-4-5").user("hi")
        .reasoning(ReasoningConfig.budget(100)).build()).getBody().utf8());

    assertThat(off.path("thinking")).isEqualTo(tree("{\"type\":\"disabled\"}"));
    assertThat(small.path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
  }

  @Test
  void aJsonSchemaFormatIsSentAsOutputConfigFormat() throws Exception {
    String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
        + "\"required\":[\"city\"],\"additionalProperties\":false}";
    RecordedRequest sent = send(ChatRequest.builder("claude-sonnet-4-5").user("Pick a city")
        .maxOutputTokens(200).responseFormat(ResponseFormat.jsonSchema("city", schema)).build());

    assertThat(tree(sent.getBody().utf8()).path("output_config")).isEqualTo(
        tree("{\"format\":{\"type\":\"json_schema\",\"schema\":" + schema + "}}"));
  }

  @Test
  void aJsonObjectFormatOrASchemaForAModelWithoutOneIsRejectedBeforeSending() {
    AnthropicProvider noSchema = AnthropicProvider.builder().baseUrl(server.url("/").toString())
        .apiKey(KEY).capabilities("claude-3-haiku-20240307", new ModelCapabilities(true, true,
            true, true, true, false, false, false, 200_000, 4096)).build();
    try {
      Throwable object = catchThrowable(() -> provider.chat(ChatRequest.builder(
          "claude-sonnet-4-5").user("hi").responseFormat(ResponseFormat.JSON_OBJECT).build(),
          AttemptContext.standalone(new Deployment("anthropic", "claude-sonnet-4-5"))));
      Throwable schema = catchThrowable(() -> noSchema.chat(ChatRequest.builder(
          "claude-3-haiku-20240307").user("hi").responseFormat(ResponseFormat.jsonSchema("x",
          "{\"type\":\"object\"}")).build(),
          AttemptContext.standalone(new Deployment("anthropic", "claude-3-haiku-20240307"))));

      assertThat(object).isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("JSON schema");
      assertThat(schema).isInstanceOf(UnsupportedCapabilityException.class);
      assertThat(server.getRequestCount()).isZero();
    } finally {
      noSchema.close();
    }
  }

  @Test
  void providerExtrasAreMergedAndWinOverTheEncodersFields() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder("claude-sonnet-4-5").user("hi")
        .maxOutputTokens(100)
        .providerExtra("anthropic", "{\"max_tokens\":7,\"service_tier\":\"standard_only\"}")
        .providerExtra("openai", "{\"seed\":1}")
        .build());

    assertThat(sent.getBody().utf8()).isEqualTo("{\"model\":\"claude-sonnet-4-5\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":7,"
        + "\"service_tier\":\"standard_only\"}");
  }

  @Test
  void aStreamedRequestAsksForAStreamAndSendsTheEndUserHashAsMetadata() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .setHeader("content-type", "text/event-stream")
        .body("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n").build());
    AttemptContext attempt = new AttemptContext("c", new Deployment("anthropic",
        "claude-sonnet-4-5"), 1, AttemptContext.NO_DEADLINE, "ab".repeat(32));

    dev.llmgateway.ChatStream.of(provider.stream(ChatRequest.builder("claude-sonnet-4-5")
        .user("hi").maxOutputTokens(10).build(), attempt)).iterator().forEachRemaining(e -> { });
    RecordedRequest sent = server.takeRequest();

    assertThat(sent.getHeaders().get("accept")).isEqualTo("text/event-stream");
    assertThat(new String(sent.getBody().toByteArray(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}],\"metadata\":{\"user_id\":\"" + "ab".repeat(32) + "\"},"
            + "\"stream\":true}");
  }
}
