package dev.llmgateway.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exact JSON, URL and headers each preset sends for representative requests. */
class OpenAiRequestWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-wire-test-0123456789";
  private static final String USER_HASH =
      "3f1e8d2c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff";
  private static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\","
      + "\"refusal\":null},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}";

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Every field the encoder knows. */
  static ChatRequest everything() {
    return ChatRequest.builder("gpt-4.1")
        .system("You are terse.")
        .user("Weather in Paris?")
        .message(Message.assistant(List.of(), List.of(
            new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
        .message(Message.toolResult("call_1", "{\"celsius\":21}"))
        .tool(new ToolDefinition("get_weather", "Current weather",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                + "\"required\":[\"city\"]}", true))
        .toolChoice(ToolChoice.REQUIRED)
        .responseFormat(ResponseFormat.jsonSchema("weather",
            "{\"type\":\"object\",\"properties\":{\"summary\":{\"type\":\"string\"}}}"))
        .reasoning(ReasoningConfig.effort(ReasoningConfig.Effort.LOW))
        .temperature(0.2)
        .topP(0.9)
        .maxOutputTokens(100)
        .stop("END")
        .seed(7L)
        .promptCacheKey("tenant-42")
        .build();
  }

  private static final String MESSAGES = "[{\"role\":\"system\",\"content\":\"You are terse.\"},"
      + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
      + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
      + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
      + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"{\\\"celsius\\\":21}\"}]";
  private static final String TOOLS = "[{\"type\":\"function\",\"function\":{"
      + "\"name\":\"get_weather\",\"description\":\"Current weather\",\"parameters\":"
      + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
      + "\"required\":[\"city\"]},\"strict\":true}}]";
  private static final String FORMAT = "{\"type\":\"json_schema\",\"json_schema\":{"
      + "\"name\":\"weather\",\"schema\":{\"type\":\"object\",\"properties\":"
      + "{\"summary\":{\"type\":\"string\"}}},\"strict\":true}}";

  static Stream<Arguments> presets() {
    return Stream.of(
        preset("openai", url -> OpenAiPresets.openAi().baseUrl(url + "/v1"),
            "/v1/chat/completions", "authorization", "Bearer " + KEY,
            "{\"model\":\"gpt-4.1\",\"messages\":" + MESSAGES + ",\"tools\":" + TOOLS
                + ",\"tool_choice\":\"required\",\"response_format\":" + FORMAT
                + ",\"reasoning_effort\":\"low\",\"temperature\":0.2,\"top_p\":0.9,"
                + "\"max_completion_tokens\":100,\"stop\":[\"END\"],\"seed\":7,"
                + "\"safety_identifier\":\"" + USER_HASH + "\","
                + "\"prompt_cache_key\":\"tenant-42\"}"),
        preset("azure deployment", url -> OpenAiPresets.azure(url, "2024-10-21"),
            "/openai/deployments/gpt-4.1/chat/completions?api-version=2024-10-21", "api-key", KEY,
            "{\"messages\":" + MESSAGES + ",\"tools\":" + TOOLS
                + ",\"tool_choice\":\"required\",\"response_format\":" + FORMAT
                + ",\"reasoning_effort\":\"low\",\"temperature\":0.2,\"top_p\":0.9,"
                + "\"max_completion_tokens\":100,\"stop\":[\"END\"],\"seed\":7}"),
        preset("azure v1", url -> OpenAiPresets.azureV1(url),
            "/openai/v1/chat/completions", "api-key", KEY,
            "{\"model\":\"gpt-4.1\",\"messages\":" + MESSAGES + ",\"tools\":" + TOOLS
                + ",\"tool_choice\":\"required\",\"response_format\":" + FORMAT
                + ",\"reasoning_effort\":\"low\",\"temperature\":0.2,\"top_p\":0.9,"
                + "\"max_completion_tokens\":100,\"stop\":[\"END\"],\"seed\":7}"),
        preset("mistral", url -> OpenAiPresets.mistral().baseUrl(url + "/v1"),
            "/v1/chat/completions", "authorization", "Bearer " + KEY,
            "{\"model\":\"gpt-4.1\",\"messages\":" + MESSAGES + ",\"tools\":" + TOOLS
                + ",\"tool_choice\":\"any\",\"response_format\":" + FORMAT
                + ",\"temperature\":0.2,\"top_p\":0.9,"
                + "\"max_tokens\":100,\"stop\":[\"END\"],\"random_seed\":7}"),
        compatible("ollama", url -> OpenAiPresets.ollama().baseUrl(url + "/v1")),
        compatible("vllm", url -> OpenAiPresets.vllm(url + "/v1")),
        compatible("openrouter", url -> OpenAiPresets.openRouter().baseUrl(url + "/v1")),
        compatible("deepseek", url -> OpenAiPresets.deepSeek().baseUrl(url + "/v1")),
        compatible("together", url -> OpenAiPresets.together().baseUrl(url + "/v1")),
        preset("groq", url -> OpenAiPresets.groq().baseUrl(url + "/v1"),
            "/v1/chat/completions", "authorization", "Bearer " + KEY,
            "{\"model\":\"gpt-4.1\",\"messages\":" + MESSAGES + ",\"tools\":" + TOOLS
                + ",\"tool_choice\":\"required\",\"response_format\":" + FORMAT
                + ",\"reasoning_effort\":\"low\",\"temperature\":0.2,\"top_p\":0.9,"
                + "\"max_completion_tokens\":100,\"stop\":[\"END\"],\"seed\":7}"));
  }

  private static Arguments compatible(String name,
      Function<String, OpenAiProvider.Builder> preset) {
    return preset(name, preset, "/v1/chat/completions", "authorization", "Bearer " + KEY,
        "{\"model\":\"gpt-4.1\",\"messages\":" + MESSAGES + ",\"tools\":" + TOOLS
            + ",\"tool_choice\":\"required\",\"response_format\":" + FORMAT
            + ",\"temperature\":0.2,\"top_p\":0.9,"
            + "\"max_tokens\":100,\"stop\":[\"END\"],\"seed\":7}");
  }

  private static Arguments preset(String name, Function<String, OpenAiProvider.Builder> preset,
      String target, String authHeader, String authValue, String body) {
    return Arguments.of(name, preset, target, authHeader, authValue, body);
  }

  private String baseUrl() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  private RecordedRequest send(OpenAiProvider provider, ChatRequest request) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json").body(COMPLETION).build());
    provider.chat(request, new AttemptContext("c1", new Deployment(provider.name(),
        request.model()), 1, AttemptContext.NO_DEADLINE, USER_HASH));
    return server.takeRequest();
  }

  /**
   * The transport refuses reasoning settings for a model whose capabilities lack reasoning (the
   * one capability rule); every preset's chat models declare it, so their reasoning requests
   * still go out (as the test above shows for each). Only OpenAI itself knows a model by name
   * (its documented embedding models); for the other presets a model named like one is unknown
   * and may do anything (issue 23.7).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void eachPresetDeclaresReasoningForItsChatModels(String name,
      Function<String, OpenAiProvider.Builder> preset, String target, String authHeader,
      String authValue, String expectedBody) {
    try (OpenAiProvider provider = preset.apply(baseUrl()).apiKey(KEY).build()) {
      assertThat(provider.capabilities("gpt-4.1")).isEqualTo(ModelCapabilities.ALL);
      assertThat(provider.capabilities("text-embedding-3-small")).isEqualTo(name.equals("openai")
          ? ModelCapabilities.EMBEDDINGS_ONLY : ModelCapabilities.ALL);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void eachPresetSendsTheDocumentedJsonUrlAndHeaders(String name,
      Function<String, OpenAiProvider.Builder> preset, String target, String authHeader,
      String authValue, String expectedBody) throws Exception {
    try (OpenAiProvider provider = preset.apply(baseUrl()).apiKey(KEY).build()) {
      RecordedRequest sent = send(provider, everything());

      assertThat(sent.getMethod()).isEqualTo("POST");
      assertThat(sent.getTarget()).isEqualTo(target);
      assertThat(sent.getHeaders().get(authHeader)).isEqualTo(authValue);
      assertThat(sent.getHeaders().get("content-type")).startsWith("application/json");
      assertThat(json(sent)).isEqualTo(JSON.readTree(expectedBody));
    }
  }

  /**
   * Issue 23.7: an embeddings call to a model whose name lacks "embedding" (Mistral's {@code
   * mistral-embed}) was refused before sending by a guess from the name; it goes to the provider.
   */
  @Test
  void anEmbeddingsModelIsNotJudgedByItsName() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json")
        .body("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
            + "\"embedding\":[0.1,0.2]}],\"model\":\"mistral-embed\",\"usage\":"
            + "{\"prompt_tokens\":3,\"total_tokens\":3}}").build());
    try (OpenAiProvider provider = OpenAiPresets.mistral().baseUrl(baseUrl() + "/v1").apiKey(KEY)
        .build()) {
      var response = provider.embed(EmbeddingRequest.of("mistral-embed", "a"),
          AttemptContext.standalone(new Deployment("mistral", "mistral-embed")));
      assertThat(response.vector(0)).containsExactly(0.1f, 0.2f);
      assertThat(server.takeRequest().getTarget()).isEqualTo("/v1/embeddings");
    }
  }

  /** ... and a model that cannot embed is told so by the provider, as its typed error. */
  @Test
  void anUnknownModelThatCannotEmbedFailsWithTheProvidersTypedError() {
    server.enqueue(new MockResponse.Builder().code(404)
        .addHeader("content-type", "application/json")
        .body(OpenAiFixturesTest.fixture("openai/error-404-model-not-found.json")).build());
    try (OpenAiProvider provider = OpenAiPresets.openAi().baseUrl(baseUrl() + "/v1").apiKey(KEY)
        .build()) {
      assertThat(catchThrowable(() -> provider.embed(EmbeddingRequest.of("gpt-4.1", "a"),
          AttemptContext.standalone(new Deployment("openai", "gpt-4.1")))))
          .isInstanceOf(ModelNotFoundException.class);
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void aStreamAsksForUsageAndEventStream() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "text/event-stream").body("data: [DONE]\n\n").build());
    try (OpenAiProvider provider = OpenAiPresets.openAi().baseUrl(baseUrl() + "/v1").apiKey(KEY)
        .executor(Runnable::run).build()) {
      dev.llmgateway.ChatStream.of(provider.stream(ChatRequest.of("gpt-4.1", "hi"),
          AttemptContext.standalone(new Deployment("openai", "gpt-4.1")))).collect();
    } catch (dev.llmgateway.GatewayException expected) {
      // an empty stream ends with a typed failure; the request is what this test is about
    }
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getHeaders().get("accept")).isEqualTo("text/event-stream");
    assertThat(json(sent)).isEqualTo(JSON.readTree("{\"model\":\"gpt-4.1\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true}}"));
  }

  @Test
  void imagesAndDocumentsBecomeContentParts() throws Exception {
    ChatRequest request = ChatRequest.builder("gpt-4.1")
        .message(Message.user(ContentPart.text("What is this?"),
            ContentPart.imageUrl("https://example.com/cat.png"),
            ContentPart.image(new byte[] {1, 2, 3}, "image/png"),
            new ContentPart.Document(new byte[] {4, 5}, "application/pdf", "report.pdf", null)))
        .build();
    try (OpenAiProvider provider = OpenAiPresets.openAi().baseUrl(baseUrl() + "/v1").apiKey(KEY)
        .build()) {
      RecordedRequest sent = send(provider, request);
      assertThat(json(sent).get("messages")).isEqualTo(JSON.readTree("[{\"role\":\"user\","
          + "\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
          + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}},"
          + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AQID\"}},"
          + "{\"type\":\"file\",\"file\":{\"filename\":\"report.pdf\","
          + "\"file_data\":\"data:application/pdf;base64,BAU=\"}}]}]"));
    }
  }

  @Test
  void providerExtrasAreMergedAndWinOverOurFields() throws Exception {
    ChatRequest request = ChatRequest.builder("gpt-4.1").user("hi").temperature(0.5)
        .providerExtra("openai", "{\"temperature\":1.0,\"service_tier\":\"flex\","
            + "\"metadata\":{\"a\":\"b\"}}")
        .providerExtra("someone-else", "{\"ignored\":true}")
        .extraHeader("X-Tenant", "acme")
        .build();
    try (OpenAiProvider provider = OpenAiPresets.openAi().baseUrl(baseUrl() + "/v1").apiKey(KEY)
        .header("OpenAI-Project", "proj_1").build()) {
      RecordedRequest sent = send(provider, request);
      assertThat(json(sent)).isEqualTo(JSON.readTree("{\"model\":\"gpt-4.1\",\"messages\":"
          + "[{\"role\":\"user\",\"content\":\"hi\"}],"
          + "\"safety_identifier\":\"" + USER_HASH + "\",\"temperature\":1.0,"
          + "\"service_tier\":\"flex\",\"metadata\":{\"a\":\"b\"}}"));
      assertThat(sent.getHeaders().get("x-tenant")).isEqualTo("acme");
      assertThat(sent.getHeaders().get("openai-project")).isEqualTo("proj_1");
    }
  }

  @Test
  void embeddingsSendBatchInputAndDimensions() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json")
        .body("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":1,"
            + "\"embedding\":[0.3,0.4]},{\"object\":\"embedding\",\"index\":0,"
            + "\"embedding\":[0.1,0.2]}],\"model\":\"text-embedding-3-small\","
            + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}").build());
    try (OpenAiProvider provider = OpenAiPresets.openAi().baseUrl(baseUrl() + "/v1").apiKey(KEY)
        .build()) {
      var response = provider.embed(
          EmbeddingRequest.of("text-embedding-3-small", "a", "b").withDimensions(2),
          AttemptContext.standalone(new Deployment("openai", "text-embedding-3-small")));
      RecordedRequest sent = server.takeRequest();
      assertThat(sent.getTarget()).isEqualTo("/v1/embeddings");
      assertThat(json(sent)).isEqualTo(JSON.readTree("{\"model\":\"text-embedding-3-small\","
          + "\"input\":[\"a\",\"b\"],\"dimensions\":2,\"encoding_format\":\"base64\"}"));
      assertThat(response.vector(0)).containsExactly(0.1f, 0.2f);
      assertThat(response.vector(1)).containsExactly(0.3f, 0.4f);
      assertThat(response.usage().inputTokens()).isEqualTo(8);
    }
  }

  @Test
  void aKeyReadFromACredentialIsReadAtSendTime() throws Exception {
    String[] current = {"sk-first-111111"};
    try (OpenAiProvider provider = OpenAiPresets.openAi().baseUrl(baseUrl() + "/v1")
        .credential(dev.llmgateway.providers.Credential.from(() -> current[0])).build()) {
      send(provider, ChatRequest.of("gpt-4.1", "hi"));
      current[0] = "sk-second-222222";
      RecordedRequest second = send(provider, ChatRequest.of("gpt-4.1", "hi"));
      assertThat(second.getHeaders().get("authorization")).isEqualTo("Bearer sk-second-222222");
      assertThat(provider.toString()).doesNotContain("sk-");
    }
  }

  private static JsonNode json(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().string(StandardCharsets.UTF_8));
  }
}
