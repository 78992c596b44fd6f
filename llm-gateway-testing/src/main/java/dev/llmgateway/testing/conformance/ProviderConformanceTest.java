package dev.llmgateway.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContentPart;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Message;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ResponseTooLargeException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.ProviderMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance suite every transport runs: it calls a {@link Provider} directly ({@code chat},
 * {@code stream}, {@code embed}) against a fresh wire-level {@link ProviderMockServer} of the
 * transport's format for each test, and checks that the answer means the same for every format
 * (text, finish reason, tool calls, usage with its canonical meaning), that the request carries
 * what the caller asked for, that every provider error maps onto its documented {@link
 * GatewayException} without leaking the key or the prompt a provider's message quotes, and that
 * every fault (stalls, drops, malformed and
 * truncated bodies) ends as a typed failure, never a raw I/O, parsing or null-pointer exception.
 *
 * <pre>{@code
 * class MyTransportConformanceTest extends ProviderConformanceTest {
 *   protected ProviderMockServer startServer() {
 *     return MyFormatMockServer.start();
 *   }
 *
 *   protected Provider provider(ProviderMockServer server) {
 *     return MyTransport.builder().baseUrl(server.baseUrl()).apiKey(API_KEY).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Tests that need what {@link Provider#capabilities(String)} says the model cannot do
 * (streaming, tools, images, JSON schema, embeddings) are skipped with an assumption. Configure the
 * provider with {@link #API_KEY}: the suite checks that it appears in no exception message.
 *
 * <p>Override {@link #providerDeclaring(ProviderMockServer, String, ModelCapabilities)} too: the
 * refusal tests then check, for each thing a request may need (chat, streaming, embeddings, tools,
 * images, documents, a JSON schema, reasoning), that a model declared without it refuses the
 * request with an {@link UnsupportedCapabilityException} naming the unmet need in the words of
 * {@link dev.llmgateway.spi.RequestNeeds}, before anything is sent.
 *
 * <p>Override {@link #providerLimitedTo(ProviderMockServer, Limits)} too: the limit tests
 * then check that an answer larger than the transport reads (a body, one streamed event, an error
 * body, more tool calls than allowed) ends as a {@link ResponseTooLargeException} naming the limit,
 * or for an error body as its documented mapping, and that the transport hung up instead of
 * reading the 1 GiB the mock offers.
 *
 * <p>Not thread-safe: JUnit creates an instance per test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class ProviderConformanceTest {
  /** The key to configure the provider with; it must appear in no exception message. */
  protected static final String API_KEY = "sk-conformance-SECRET-1234";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger CALLS = new AtomicInteger();
  private static final Duration SHORT_DEADLINE = Duration.ofMillis(300);
  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  private static final List<String> DELTAS_BEFORE_FAULT = List.of("Hel", "lo");
  private static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{"
      + "\"type\":\"string\",\"description\":\"The city\"},\"unit\":{\"type\":\"string\",\"enum\":["
      + "\"celsius\",\"fahrenheit\"]}},\"required\":[\"city\",\"unit\"],"
      + "\"additionalProperties\":false}";
  /** The dated model a mock names as the one that served its answers. */
  private static final String SERVED_MODEL = "test-model-2025-08-06";
  private static final String PARIS = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";
  private static final ToolDefinition WEATHER =
      ToolDefinition.of("get_weather", "Current weather in a city", WEATHER_SCHEMA);
  private static final ToolDefinition TIME = ToolDefinition.of("get_time", "Local time in a zone",
      "{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\"}},\"required\":["
          + "\"zone\"]}");
  /** Personal data and a secret a provider's error may quote back from the prompt. */
  private static final List<String> PERSONAL_DATA = List.of("123-45-6789", "4111 1111 1111 1111",
      "jane.doe@example.com", "Zx8Qp2LmN4vR7tY1wK9sHb3D");
  private static final String PROMPT_WITH_PERSONAL_DATA = "My SSN is " + PERSONAL_DATA.get(0)
      + ", my card " + PERSONAL_DATA.get(1) + ", my e-mail " + PERSONAL_DATA.get(2)
      + " and my key " + PERSONAL_DATA.get(3);
  /** The model {@link #providerDeclaring} declares with less than everything. */
  private static final String LIMITED_MODEL = "limited-model";
  private static final byte[] PDF = {37, 80, 68, 70, 45, 49, 46, 55}; // "%PDF-1.7"

  private @Nullable ProviderMockServer server;
  private @Nullable Provider provider;

  /** Starts a fresh mock server of the transport's format (called before each test). */
  protected abstract ProviderMockServer startServer();

  /**
   * The provider under test, configured with the server's {@link ProviderMockServer#baseUrl()} and
   * {@link #API_KEY} (called before each test, closed after it).
   */
  protected abstract Provider provider(ProviderMockServer server);

  /** The chat model the requests name ({@code test-model}). */
  protected String model() {
    return "test-model";
  }

  /** The embeddings model the embedding requests name ({@code test-embedding-model}). */
  protected String embeddingModel() {
    return "test-embedding-model";
  }

  /** The key the provider is configured with, which no exception message may contain. */
  protected String apiKey() {
    return API_KEY;
  }

  /**
   * The provider under test configured like {@link #provider(ProviderMockServer)}, but with {@code
   * model} declared to have exactly {@code capabilities}: the refusal tests use it to check that
   * a request needing what the model lacks is refused before anything is sent. Null, the default,
   * when the transport cannot declare capabilities per model, which skips those tests. The suite
   * closes it.
   *
   * @param server this test's server
   * @param model the model to declare
   * @param capabilities what that model can do
   * @return the provider, or null to skip the refusal tests
   */
  protected @Nullable Provider providerDeclaring(ProviderMockServer server, String model,
      ModelCapabilities capabilities) {
    return null;
  }

  /**
   * The provider under test configured like {@link #provider(ProviderMockServer)}, but reading no
   * more than {@code limits} allow (for the transports of this project: the builder's {@code
   * maxResponseBytes}, {@code maxErrorBodyBytes}, {@code maxSseEventBytes} and {@code
   * maxToolCalls}). Null, the default, when the transport has no such limits, which skips the
   * limit tests. The suite closes it.
   *
   * @param server this test's server
   * @param limits how much of an answer the provider may read
   * @return the provider, or null to skip the limit tests
   */
  protected @Nullable Provider providerLimitedTo(ProviderMockServer server, Limits limits) {
    return null;
  }

  /**
   * How much of an answer a limit test lets the transport read: one limit tight, the others at
   * generous values (the defaults of this project's transports).
   *
   * @param maxResponseBytes the most bytes of a response body
   * @param maxErrorBodyBytes the most bytes of an error body read (the rest is not needed)
   * @param maxSseEventBytes the most bytes of one streamed event
   * @param maxToolCalls the most tool calls of one answer
   */
  public record Limits(long maxResponseBytes, int maxErrorBodyBytes, int maxSseEventBytes,
      int maxToolCalls) {
    private static final Limits GENEROUS = new Limits(32L << 20, 64 << 10, 1 << 20, 128);

    static Limits responseBytes(long bytes) {
      return new Limits(bytes, GENEROUS.maxErrorBodyBytes, GENEROUS.maxSseEventBytes,
          GENEROUS.maxToolCalls);
    }

    static Limits errorBodyBytes(int bytes) {
      return new Limits(GENEROUS.maxResponseBytes, bytes, GENEROUS.maxSseEventBytes,
          GENEROUS.maxToolCalls);
    }

    static Limits sseEventBytes(int bytes) {
      return new Limits(GENEROUS.maxResponseBytes, GENEROUS.maxErrorBodyBytes, bytes,
          GENEROUS.maxToolCalls);
    }

    static Limits toolCalls(int count) {
      return new Limits(GENEROUS.maxResponseBytes, GENEROUS.maxErrorBodyBytes,
          GENEROUS.maxSseEventBytes, count);
    }
  }

  @BeforeEach
  void startServerAndProvider() {
    server = startServer();
    provider = provider(server);
  }

  @AfterEach
  void closeProviderAndServer() {
    try {
      if (provider != null) {
        provider.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** This test's server. */
  protected final ProviderMockServer server() {
    if (server == null) {
      throw new IllegalStateException("the server starts before each test");
    }
    return server;
  }

  /** This test's provider. */
  protected final Provider provider() {
    if (provider == null) {
      throw new IllegalStateException("the provider is built before each test");
    }
    return provider;
  }

  /**
   * Whether the format reports reasoning tokens apart from the output tokens that include them
   * (true by default; Anthropic's does not, so its transports report 0).
   */
  protected boolean reportsReasoningTokens() {
    return true;
  }

  /**
   * Whether the format streams a tool call's arguments in fragments (true by default; Gemini sends
   * each call whole in one chunk).
   */
  protected boolean streamsToolArgumentsInFragments() {
    return true;
  }

  /**
   * Whether the format reports token counts for embeddings (true by default; Gemini's does not, so
   * its transport reports an estimate).
   */
  protected boolean reportsEmbeddingTokens() {
    return true;
  }

  /**
   * Whether the format names the model that made embeddings (true by default; Gemini's {@code
   * batchEmbedContents} answer does not, so its transport reports none).
   */
  protected boolean reportsEmbeddingModel() {
    return true;
  }

  /** A fresh attempt at the given model, without a deadline. */
  protected final AttemptContext attempt(String model) {
    return attempt(model, AttemptContext.NO_DEADLINE);
  }

  // ---- answers

  @Test
  void plainTextReplyCarriesItsTextTheStopReasonAndUsage() {
    server().replyText("Hello there!", Usage.of(12, 4));

    ChatResponse response = chat(ChatRequest.of(model(), "Say hello"));

    assertEquals("Hello there!", response.text());
    assertEquals(FinishReason.STOP, response.finishReason());
    assertTrue(response.toolCalls().isEmpty(), "no tool calls");
    assertUsage(Usage.of(12, 4), response.usage());
    assertEquals(1, server().requestCount());
  }

  @Test
  void streamedTextArrivesAsDeltasInOrderAndCompletesWithTheWholeAnswer() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().streamText(List.of("Hel", "lo", " there", "!"), Usage.of(12, 4));

    List<ChatEvent> events = stream(ChatRequest.of(model(), "Say hello"));

    assertEquals("Hello there!", text(events));
    ChatResponse response = completed(events);
    assertEquals("Hello there!", response.text());
    assertEquals(FinishReason.STOP, response.finishReason());
    assertUsage(Usage.of(12, 4), response.usage());
    assertEquals(List.of("Hel", "lo", " there", "!"), textDeltas(events),
        "one text delta per chunk, in order");
  }

  @Test
  void multiTurnConversationIsSentWithItsSystemPromptAndTurnsInOrder() {
    server().replyText("4", Usage.of(30, 1));
    ChatRequest request = ChatRequest.builder(model())
        .system("You are a terse calculator.")
        .user("Hi there")
        .message(Message.assistant("Hello! Ask me a sum."))
        .user("What is 2+2?")
        .build();

    assertEquals("4", chat(request).text());

    List<String> sent = strings(server().takeRequest());
    assertInOrder(sent, "You are a terse calculator.", "Hi there", "Hello! Ask me a sum.",
        "What is 2+2?");
  }

  // ---- tools

  @Test
  void aSingleToolCallComesBackWithItsIdNameAndArguments() {
    assumeCapable(ModelCapabilities::tools, "tools");
    ToolCall call = new ToolCall("call_1", "get_weather", PARIS);
    server().replyToolCalls(List.of(call), Usage.of(80, 20));

    ChatResponse response = chat(ChatRequest.builder(model()).user("Weather in Paris?")
        .tool(WEATHER).build());

    assertEquals(FinishReason.TOOL_CALLS, response.finishReason());
    assertToolCalls(List.of(call), response.toolCalls());
    JsonNode sent = body(server().takeRequest());
    assertTrue(strings(sent).contains("get_weather"), "the tool's name is sent");
    assertTrue(containsNode(sent, tree(WEATHER_SCHEMA).path("properties")),
        "the tool's parameter schema is sent");
  }

  @Test
  void parallelToolCallsComeBackInOrder() {
    assumeCapable(ModelCapabilities::tools, "tools");
    List<ToolCall> calls = List.of(
        new ToolCall("call_1", "get_weather", PARIS),
        new ToolCall("call_2", "get_time", "{\"zone\":\"Asia/Tokyo\"}"));
    server().replyToolCalls(calls, Usage.of(90, 40));

    ChatResponse response = chat(ChatRequest.builder(model()).user("Weather in Paris, time in "
        + "Tokyo?").tool(WEATHER).tool(TIME).build());

    assertEquals(FinishReason.TOOL_CALLS, response.finishReason());
    assertToolCalls(calls, response.toolCalls());
  }

  @Test
  void streamedToolCallArgumentsAreReassembled() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    assumeCapable(ModelCapabilities::tools, "tools");
    List<ToolCall> calls = List.of(
        new ToolCall("call_1", "get_weather", PARIS),
        new ToolCall("call_2", "get_time", "{\"zone\":\"Asia/Tokyo\"}"));
    server().streamToolCalls(calls, 5, Usage.of(90, 40));

    List<ChatEvent> events = stream(ChatRequest.builder(model()).user("Weather and time?")
        .tool(WEATHER).tool(TIME).build());

    ChatResponse response = completed(events);
    assertEquals(FinishReason.TOOL_CALLS, response.finishReason());
    assertToolCalls(calls, response.toolCalls());
    StringBuilder[] fragments = {new StringBuilder(), new StringBuilder()};
    int deltas = 0;
    for (ChatEvent e : events) {
      if (e instanceof ChatEvent.ToolCallDelta d) {
        deltas++;
        assertTrue(d.index() < 2, "tool call index " + d.index());
        if (d.id() != null) {
          assertEquals(calls.get(d.index()).id(), d.id());
          assertEquals(calls.get(d.index()).name(), d.name());
        }
        fragments[d.index()].append(d.argumentsFragment());
      }
    }
    if (streamsToolArgumentsInFragments()) {
      assertTrue(deltas > 2, "the arguments arrive in fragments, saw " + deltas + " deltas");
    } else {
      assertEquals(calls.size(), deltas, "one delta per call, its arguments whole");
    }
    for (int i = 0; i < 2; i++) {
      assertJsonEquals(calls.get(i).arguments(), fragments[i].toString());
    }
  }

  @Test
  void toolResultsAreSentBackWithTheCallsTheyAnswer() {
    assumeCapable(ModelCapabilities::tools, "tools");
    server().replyText("It is 22 C and sunny in Paris.", Usage.of(120, 12));
    ToolCall call = new ToolCall("call_w1", "get_weather", PARIS);
    ChatRequest request = ChatRequest.builder(model())
        .user("Weather in Paris?")
        .message(Message.assistant(List.of(), List.of(call)))
        .message(Message.toolResult("call_w1", "22 C, sunny"))
        .tool(WEATHER)
        .build();

    assertEquals("It is 22 C and sunny in Paris.", chat(request).text());

    List<String> sent = strings(server().takeRequest());
    assertInOrder(sent, "Weather in Paris?", "call_w1", "22 C, sunny");
    assertTrue(sent.contains("get_weather"), "the call's tool name is sent back");
  }

  /**
   * Issue 23.8: after a failover the conversation carries reasoning, redacted reasoning and a
   * tool-call signature another wire format produced ({@link ContentPart.Reasoning#format()}); no
   * transport sends any of it, since a provider rejects another's signatures, while the rest of the
   * turn still goes.
   */
  @Test
  void reasoningAndSignaturesAnotherFormatProducedAreNeverSent() {
    assumeCapable(ModelCapabilities::tools, "tools");
    server().replyText("It is 22 C.", Usage.of(120, 6));
    String format = "another-wire-format";
    List<String> foreign = List.of("Reasoning of another provider", "c2lnbmF0dXJlLW9mLWFub3RoZXI=",
        "cmVkYWN0ZWQtYnktYW5vdGhlcg==", "Y2FsbC1zaWduZWQtYnktYW5vdGhlcg==");
    ToolCall call = new ToolCall("call_x1", "get_weather", PARIS)
        .withSignature(foreign.get(3), format);
    ChatRequest request = ChatRequest.builder(model())
        .user("Weather in Paris?")
        .message(Message.assistant(List.of(
            new ContentPart.Reasoning(foreign.get(0), foreign.get(1), null, format),
            new ContentPart.Reasoning(null, null, foreign.get(2), format),
            ContentPart.text("Let me check.")), List.of(call)))
        .message(Message.toolResult("call_x1", "22 C, sunny"))
        .tool(WEATHER)
        .build();

    assertEquals("It is 22 C.", chat(request).text());

    MockRequest sent = server().takeRequest();
    for (String part : foreign) {
      assertFalse(sent.body().contains(part), "another format's part was sent: " + part);
    }
    assertInOrder(strings(sent), "Weather in Paris?", "Let me check.", "call_x1", "22 C, sunny");
  }

  // ---- input and output formats
  // ---- input and output formats

  @Test
  void anImageByUrlIsSent() {
    assumeCapable(ModelCapabilities::vision, "vision");
    server().replyText("A cat.", Usage.of(300, 3));
    String url = "https://example.com/images/cat.png";

    chat(ChatRequest.builder(model()).message(Message.user(ContentPart.text("What is this?"),
        ContentPart.imageUrl(url))).build());

    List<String> sent = strings(server().takeRequest());
    assertInOrder(sent, "What is this?", url);
  }

  @Test
  void anImageGivenAsBytesIsSentInBase64() {
    assumeCapable(ModelCapabilities::vision, "vision");
    server().replyText("A dot.", Usage.of(300, 3));
    byte[] png = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQ"
        + "VR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    chat(ChatRequest.builder(model()).message(Message.user(ContentPart.text("What is this?"),
        ContentPart.image(png, "image/png"))).build());

    String base64 = Base64.getEncoder().encodeToString(png);
    assertTrue(strings(server().takeRequest()).stream().anyMatch(s -> s.contains(base64)),
        "the image's bytes are sent in base64");
  }

  @Test
  void aJsonSchemaOutputFormatSendsTheSchema() {
    assumeCapable(ModelCapabilities::jsonSchema, "JSON schema output");
    server().replyText(PARIS, Usage.of(50, 10));

    ChatResponse response = chat(ChatRequest.builder(model()).user("Pick a city")
        .responseFormat(ResponseFormat.jsonSchema("city_pick", WEATHER_SCHEMA)).build());

    assertJsonEquals(PARIS, response.text());
    JsonNode sent = body(server().takeRequest());
    assertTrue(containsNode(sent, tree(WEATHER_SCHEMA).path("properties")),
        "the schema's properties are sent");
  }

  @Test
  void embeddingsComeBackInInputOrderWithTheirUsage() {
    assumeTrue(provider().capabilities(embeddingModel()).embeddings(),
        () -> embeddingModel() + " has no embeddings");
    float[] first = {0.25f, -0.5f, 0.125f};
    float[] second = {-0.75f, 0.0625f, 1f};
    server().replyEmbeddings(List.of(first, second), 7);

    EmbeddingResponse response = provider().embed(
        EmbeddingRequest.of(embeddingModel(), "first text", "second text"),
        attempt(embeddingModel()));

    assertEquals(2, response.size());
    assertArrayEquals(first, response.vector(0));
    assertArrayEquals(second, response.vector(1));
    if (reportsEmbeddingTokens()) {
      assertEquals(7, response.usage().inputTokens());
    } else {
      assertTrue(response.usage().estimated(), "no counts reported: the usage is an estimate");
      assertTrue(response.usage().inputTokens() > 0, "the estimate counts the inputs");
    }
    assertInOrder(strings(server().takeRequest()), "first text", "second text");
  }

  /**
   * The regression of issue 23.7: an embeddings call to a model whose name lacks "embedding" (as
   * Ollama's {@code nomic-embed-text} or Mistral's {@code mistral-embed} do) was refused before
   * sending by a guess from the name. A model nothing is known of goes to the provider.
   */
  @Test
  void anEmbeddingsModelIsNeverJudgedByItsName() {
    assumeTrue(provider().capabilities(embeddingModel()).embeddings(),
        () -> embeddingModel() + " has no embeddings");
    float[] vector = {0.5f, -0.25f};
    server().replyEmbeddings(List.of(vector), 3);

    EmbeddingResponse response = provider().embed(
        EmbeddingRequest.of("nomic-embed-text", "some text"), attempt("nomic-embed-text"));

    assertArrayEquals(vector, response.vector(0));
    assertEquals(1, server().requestCount(), "the request was sent");
  }

  /** ... and what the provider refuses comes back as its typed error, a 404 as model not found. */
  @Test
  void anUnknownModelThatCannotEmbedFailsWithTheProvidersTypedError() {
    assumeTrue(provider().capabilities(embeddingModel()).embeddings(),
        () -> embeddingModel() + " has no embeddings");
    server().error(MockError.MODEL_NOT_FOUND);

    GatewayException e = assertThrows(GatewayException.class, () -> provider().embed(
        EmbeddingRequest.of(model(), "some text"), attempt(model())));

    assertEquals(ModelNotFoundException.class, apiType(e.getClass()), () -> "was " + e);
    assertEquals(1, server().requestCount(), "the request was sent");
  }

  // ---- refusals

  /**
   * The regression of issue 21: a reasoning request reaching a model without reasoning was sent by
   * the OpenAI transport (to fail at the provider) instead of being refused as the others did.
   */
  @Test
  void aReasoningRequestToAModelWithoutReasoningIsRefusedBeforeAnythingIsSent() {
    ChatRequest request = ChatRequest.builder(LIMITED_MODEL).user("Think hard: 2+2?")
        .reasoning(ReasoningConfig.effort(ReasoningConfig.Effort.HIGH)).build();

    withLimitedProvider(Need.REASONING, limited -> {
      assertRefused(Need.REASONING, limited,
          () -> limited.chat(request, attempt(limited, LIMITED_MODEL)));
      assertRefused(Need.REASONING, limited,
          () -> streamOutcome(limited, request, attempt(limited, LIMITED_MODEL)));
    });
  }

  @ParameterizedTest
  @EnumSource(Need.class)
  void aRequestNeedingWhatTheModelLacksIsRefusedBeforeAnythingIsSent(Need need) {
    withLimitedProvider(need, limited -> assertRefused(need, limited,
        () -> need.call(limited, attempt(limited, LIMITED_MODEL))));
  }

  /** What a request may need of a model, each with a model that has everything but that. */
  private enum Need {
    CHAT("no chat"),
    STREAMING("no streaming"),
    EMBEDDINGS("no embeddings"),
    TOOLS("no tool calling"),
    IMAGES("no image input"),
    DOCUMENTS("no document input"),
    JSON_SCHEMA("no JSON schema output"),
    REASONING("no reasoning");

    /** The reason the gateway's capability rule gives when the need is unmet. */
    final String reason;

    Need(String reason) {
      this.reason = reason;
    }

    /** Everything a chat model can do but this (and no embeddings, as no chat model has). */
    ModelCapabilities lacking() {
      return new ModelCapabilities(this != CHAT, this != STREAMING, this != TOOLS, this != IMAGES,
          this != DOCUMENTS, this != JSON_SCHEMA, this != REASONING, false, 0, 0);
    }

    /** Makes a call that needs this: its answer, or the failure a stream ended with. */
    Object call(Provider provider, AttemptContext attempt) {
      switch (this) {
        case EMBEDDINGS:
          return provider.embed(EmbeddingRequest.of(LIMITED_MODEL, "some text"), attempt);
        case STREAMING:
          return streamOutcome(provider, request(), attempt);
        default:
          return provider.chat(request(), attempt);
      }
    }

    private ChatRequest request() {
      ChatRequest.Builder b = ChatRequest.builder(LIMITED_MODEL);
      switch (this) {
        case TOOLS:
          return b.user("Weather in Paris?").tool(WEATHER).build();
        case IMAGES:
          return b.message(Message.user(ContentPart.text("What is this?"),
              ContentPart.imageUrl("https://example.com/images/cat.png"))).build();
        case DOCUMENTS:
          return b.message(Message.user(ContentPart.text("Sum it up"),
              ContentPart.document(PDF, "application/pdf"))).build();
        case JSON_SCHEMA:
          return b.user("Pick a city")
              .responseFormat(ResponseFormat.jsonSchema("city_pick", WEATHER_SCHEMA)).build();
        case REASONING:
          return b.user("Think: 2+2?").reasoning(ReasoningConfig.budget(2048)).build();
        default:
          return b.user("Hello").build();
      }
    }
  }

  /** Runs the check with a provider whose {@link #LIMITED_MODEL} lacks just what is needed. */
  private void withLimitedProvider(Need need, Consumer<Provider> check) {
    Provider limited = providerDeclaring(server(), LIMITED_MODEL, need.lacking());
    assumeTrue(limited != null, "the transport declares no capabilities per model");
    try {
      check.accept(limited);
    } finally {
      limited.close();
    }
  }

  /**
   * The call failed, thrown or as a stream's {@link ChatEvent.Failed}, with an {@link
   * UnsupportedCapabilityException} naming the deployment and the unmet need, and sent nothing.
   */
  private void assertRefused(Need need, Provider limited, Supplier<Object> call) {
    GatewayException e = null;
    try {
      Object outcome = call.get();
      if (outcome instanceof GatewayException failure) {
        e = failure;
      } else {
        fail("a request needing " + need + " was served: " + outcome);
      }
    } catch (GatewayException thrown) {
      e = thrown;
    }
    GatewayException refusal = e;
    assertInstanceOf(UnsupportedCapabilityException.class, refusal, () -> need + " lacking");
    assertTrue(refusal.getMessage().contains(need.reason), () -> "the message names the unmet"
        + " need '" + need.reason + "': " + refusal.getMessage());
    assertEquals(limited.name(), refusal.provider(), "the provider is named");
    assertEquals(LIMITED_MODEL, refusal.model(), "the model is named");
    assertEquals(0, server().requestCount(), "nothing was sent");
    assertNoKey(refusal);
  }

  // ---- usage

  @Test
  void cachedTokensStayWithinInputAndReasoningTokensWithinOutput() {
    Usage usage = new Usage(1200, 300, 1024, 0, 200, false);
    server().replyText("Done.", usage);

    assertUsage(asReported(usage), chat(ChatRequest.of(model(), "Think, then answer")).usage());
  }

  @Test
  void aStreamReportsCachedAndReasoningTokensWithTheSameMeaning() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    Usage usage = new Usage(1200, 300, 1024, 0, 200, false);
    server().streamText(List.of("Do", "ne."), usage);

    assertUsage(asReported(usage),
        completed(stream(ChatRequest.of(model(), "Think, then answer"))).usage());
  }

  // ---- the model that answered, and the status of the answer

  @Test
  void aUnaryAnswerCarriesTheModelItNamesAndItsStatusIsReportedOnTheAttempt() {
    server().servedModel(SERVED_MODEL).replyText("Hi!", Usage.of(3, 1));
    AttemptContext attempt = attempt(model());

    ChatResponse response = provider().chat(ChatRequest.of(model(), "Say hi"), attempt);

    assertEquals(SERVED_MODEL, response.servedModel());
    assertEquals(200, attempt.httpStatus(), "the transport reports its answer's status");
  }

  @Test
  void aStreamedAnswerCarriesTheModelItsChunksNameAndItsStatusIsReportedOnTheAttempt() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().servedModel(SERVED_MODEL).streamText(List.of("Hel", "lo"), Usage.of(3, 2));
    AttemptContext attempt = attempt(model());

    Object outcome = streamOutcome(provider(), ChatRequest.of(model(), "Say hello"), attempt);

    assertInstanceOf(ChatEvent.Completed.class, outcome, () -> "was " + outcome);
    assertEquals(SERVED_MODEL, ((ChatEvent.Completed) outcome).response().servedModel());
    assertEquals(200, attempt.httpStatus(), "the transport reports its answer's status");
  }

  @Test
  void embeddingsCarryTheModelTheAnswerNames() {
    assumeTrue(provider().capabilities(embeddingModel()).embeddings(),
        () -> embeddingModel() + " has no embeddings");
    server().servedModel(SERVED_MODEL).replyEmbeddings(List.of(new float[] {0.5f}), 2);
    AttemptContext attempt = attempt(embeddingModel());

    EmbeddingResponse response = provider().embed(
        EmbeddingRequest.of(embeddingModel(), "some text"), attempt);

    assertEquals(reportsEmbeddingModel() ? SERVED_MODEL : null, response.servedModel());
    assertEquals(200, attempt.httpStatus(), "the transport reports its answer's status");
  }

  /**
   * The served model is the provider's text: one too long to be a model's name, or one that would
   * forge a line in a log, is dropped, unary and streamed, and the answer is still read.
   */
  @Test
  void aServedModelTooLongOrHoldingAControlCharacterIsDropped() {
    boolean streams = provider().capabilities(model()).streaming();
    for (String hostile : List.of("gpt-4.1-" + "x".repeat(10_000), "gpt-4.1\nattempt 9: forged",
        "gpt-4.1\u001b[31m")) {
      server().servedModel(hostile).replyText("Hi!", Usage.of(3, 1));
      assertNull(chat(ChatRequest.of(model(), "Say hi")).servedModel());
      if (streams) {
        server().streamText(List.of("Hi", "!"), Usage.of(3, 1));
        ChatResponse streamed = completed(stream(ChatRequest.of(model(), "Say hi")));
        assertEquals("Hi!", streamed.text());
        assertNull(streamed.servedModel());
      }
    }
  }

  @Test
  void anErrorsStatusIsReportedOnTheAttemptToo() {
    server().error(MockError.RATE_LIMITED);
    AttemptContext attempt = attempt(model());

    assertThrows(RateLimitedException.class,
        () -> provider().chat(ChatRequest.of(model(), "Say hi"), attempt));

    assertEquals(429, attempt.httpStatus());
  }

  // ---- errors

  @ParameterizedTest
  @EnumSource(MockError.class)
  void providerErrorsMapToTheirDocumentedExceptions(MockError error) {
    server().error(error);

    GatewayException e = assertThrows(GatewayException.class,
        () -> chat(ChatRequest.of(model(), "Hello")));

    assertMapped(error, e);
    assertNotNull(e.httpStatus(), "the HTTP status is kept");
    assertEquals(1, server().requestCount(), "one request, no silent re-send");
  }

  @ParameterizedTest
  @EnumSource(MockError.class)
  void providerErrorsOnAStreamEndItWithAFailedEventOfTheirDocumentedType(MockError error) {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().error(error);

    ChatEvent.Failed failed = failed(stream(ChatRequest.of(model(), "Hello")));

    assertMapped(error, failed.error());
    assertEquals(1, server().requestCount(), "one request, no silent re-send");
  }

  @Test
  void anErrorQuotingThePromptCarriesNoneOfItIntoTheException() {
    server().error(MockError.QUOTES_PROMPT);
    if (provider().capabilities(model()).streaming()) {
      server().error(MockError.QUOTES_PROMPT);
    }
    ChatRequest request = ChatRequest.of(model(), PROMPT_WITH_PERSONAL_DATA);

    List<GatewayException> errors = new ArrayList<>();
    errors.add(assertThrows(GatewayException.class, () -> chat(request)));
    if (provider().capabilities(model()).streaming()) {
      errors.add(failed(stream(request)).error());
    }

    for (GatewayException e : errors) {
      assertInstanceOf(InvalidRequestException.class, e);
      for (Throwable t = e; t != null; t = t.getCause()) {
        for (String part : PERSONAL_DATA) {
          String message = String.valueOf(t.getMessage());
          assertFalse(message.contains(part) || String.valueOf(t).contains(part),
              () -> "the quoted prompt's '" + part + "' leaked into: " + message);
        }
      }
      assertNoKey(e);
    }
  }

  // ---- faults

  @ParameterizedTest
  @EnumSource(value = MockFault.class, mode = EnumSource.Mode.EXCLUDE,
      names = "IN_BAND_INVALID_REQUEST")
  void faultsOnAUnaryCallEndInATypedException(MockFault fault) {
    server().fault(fault, DELTAS_BEFORE_FAULT);
    boolean stall = fault == MockFault.STALL_BEFORE_HEADERS || fault == MockFault.STALL_MID_STREAM;
    AttemptContext attempt = stall
        ? attempt(model(), System.nanoTime() + SHORT_DEADLINE.toNanos()) : attempt(model());

    GatewayException e = assertThrows(GatewayException.class,
        () -> provider().chat(ChatRequest.of(model(), "Hello"), attempt));

    if (stall) {
      assertInstanceOf(GatewayTimeoutException.class, e, () -> fault + " past the deadline");
    } else {
      assertInstanceOf(ProviderUnavailableException.class, e, () -> fault + " is the provider's");
    }
    assertNoKey(e);
    assertEquals(1, server().requestCount(), "one request, no silent re-send");
  }

  @ParameterizedTest
  @EnumSource(value = MockFault.class, mode = EnumSource.Mode.EXCLUDE,
      names = {"STALL_BEFORE_HEADERS", "STALL_MID_STREAM", "IN_BAND_INVALID_REQUEST"})
  void faultsOnAStreamEndItWithATypedFailedEvent(MockFault fault) {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().fault(fault, DELTAS_BEFORE_FAULT);

    List<ChatEvent> events = stream(ChatRequest.of(model(), "Hello"));

    ChatEvent.Failed failed = failed(events);
    assertInstanceOf(ProviderUnavailableException.class, failed.error(),
        () -> fault + " is the provider's");
    assertNoKey(failed.error());
    if (fault == MockFault.DROP_MID_STREAM || fault == MockFault.MALFORMED_CHUNK
        || fault == MockFault.IN_BAND_ERROR || fault == MockFault.TRUNCATED_STREAM) {
      assertEquals(String.join("", DELTAS_BEFORE_FAULT), text(events),
          "the deltas before the fault reached the consumer");
    }
    assertEquals(1, server().requestCount(), "one request, no silent re-send");
  }

  /**
   * The regression of issue 23.2: an error inside a stream that says the request is invalid (Groq's
   * {@code tool_use_failed}, {@code status_code} 400) was mapped to "unavailable", so the gateway
   * retried and failed over a request that can never succeed.
   */
  @Test
  void aClientErrorInsideAStreamEndsItAsAnInvalidRequestAfterItsDeltas() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().fault(MockFault.IN_BAND_INVALID_REQUEST, DELTAS_BEFORE_FAULT);

    List<ChatEvent> events = stream(ChatRequest.of(model(), "Hello"));

    ChatEvent.Failed failed = failed(events);
    assertEquals(InvalidRequestException.class, apiType(failed.error().getClass()),
        () -> "a client error inside a stream is the caller's, was " + failed.error());
    assertFalse(failed.error().isRetriable(), "never retried nor failed over");
    assertEquals(String.join("", DELTAS_BEFORE_FAULT), text(events),
        "the deltas before the error reached the consumer");
    assertNoKey(failed.error());
    assertEquals(1, server().requestCount(), "one request, no silent re-send");
  }

  @Test
  void theSameClientErrorAnsweringAUnaryCallIsAnInvalidRequest() {
    server().fault(MockFault.IN_BAND_INVALID_REQUEST, DELTAS_BEFORE_FAULT);

    GatewayException e = assertThrows(GatewayException.class,
        () -> chat(ChatRequest.of(model(), "Hello")));

    assertEquals(InvalidRequestException.class, apiType(e.getClass()), () -> "was " + e);
    assertEquals(400, e.httpStatus(), "the HTTP status is kept");
    assertNoKey(e);
  }

  @Test
  void aStreamStalledMidwayEndsPromptlyWhenTheConsumerClosesIt() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().fault(MockFault.STALL_MID_STREAM, DELTAS_BEFORE_FAULT);
    StreamIterator<ChatEvent> events = iterator(ChatRequest.of(model(), "Hello"));
    try {
      StringBuilder text = new StringBuilder();
      while (text.length() < 5) {
        assertTrue(events.hasNext(), "the stream ended before its deltas: " + text);
        ChatEvent e = events.next();
        assertFalse(e.isTerminal(), () -> "ended before the stall: " + e);
        if (e instanceof ChatEvent.TextDelta d) {
          text.append(d.text());
        }
      }
      assertEquals("Hello", text.toString());
    } finally {
      events.close();
    }
    assertFalse(events.hasNext(), "a closed stream has no more events");
    assertTrue(server().awaitClientDisconnect(), "closing the stream cancels the HTTP call");
  }

  @Test
  void aStreamStalledBeforeItsHeadersEndsPromptlyWhenTheConsumerClosesIt() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().fault(MockFault.STALL_BEFORE_HEADERS, List.of());
    StreamIterator<ChatEvent> events = iterator(ChatRequest.of(model(), "Hello"));
    // the iterator sends the request and waits for the answer on the thread that asks
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(events::hasNext);
    server().takeRequest();
    long start = System.nanoTime();
    events.close();
    assertFalse(waiting.join(), "the waiting consumer is released with no event");
    assertFalse(events.hasNext(), "a closed stream has no more events");
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(PROMPTLY) < 0,
        "closing does not wait for the stalled call");
  }

  // ---- limits

  @Test
  void aBodyOverTheLimitIsATypedErrorAndTheTransportHangsUpInsteadOfReadingOn() {
    server().fault(MockFault.OVERSIZED_BODY, List.of());
    Limits limits = Limits.responseBytes(64 * 1024);

    withLimits(limits, limited -> {
      ResponseTooLargeException e = assertThrows(ResponseTooLargeException.class,
          () -> limited.chat(ChatRequest.of(model(), "Hello"), attempt(limited, model())));

      assertTooLarge(e, ResponseTooLargeException.Kind.BODY, 64 * 1024, "maxResponseBytes",
          limited);
    });
    assertHungUp();
  }

  @Test
  void aStreamedEventOverTheLimitEndsTheStreamWithATypedFailureAfterItsDeltas() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().fault(MockFault.OVERSIZED_BODY, DELTAS_BEFORE_FAULT);
    Limits limits = Limits.sseEventBytes(16 * 1024);

    withLimits(limits, limited -> {
      List<ChatEvent> events = events(limited, ChatRequest.of(model(), "Hello"));

      assertEquals(String.join("", DELTAS_BEFORE_FAULT), text(events),
          "the deltas before the oversized event reached the consumer");
      assertInstanceOf(ResponseTooLargeException.class, failed(events).error());
      assertTooLarge((ResponseTooLargeException) failed(events).error(),
          ResponseTooLargeException.Kind.STREAM_EVENT, 16 * 1024, "maxSseEventBytes", limited);
    });
    assertHungUp();
  }

  @Test
  void aStreamWhoseContentOutgrowsTheResponseLimitEndsWithATypedFailure() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().streamText(Collections.nCopies(40, "y".repeat(100)), Usage.of(5, 1000));

    withLimits(Limits.responseBytes(1024), limited -> {
      List<ChatEvent> events = events(limited, ChatRequest.of(model(), "Talk"));

      assertTrue(text(events).length() <= 1024, () -> "no more content than the limit was "
          + "delivered: " + text(events).length() + " characters");
      assertInstanceOf(ResponseTooLargeException.class, failed(events).error());
      assertTooLarge((ResponseTooLargeException) failed(events).error(),
          ResponseTooLargeException.Kind.BODY, 1024, "maxResponseBytes", limited);
    });
  }

  @Test
  void anErrorBodyOverTheLimitIsMappedFromItsHeadWithoutReadingTheRest() {
    server().fault(MockFault.OVERSIZED_ERROR_BODY, List.of());
    Limits limits = Limits.errorBodyBytes(4 * 1024);

    withLimits(limits, limited -> {
      GatewayException e = assertThrows(GatewayException.class,
          () -> limited.chat(ChatRequest.of(model(), "Hello"), attempt(limited, model())));

      assertMapped(MockError.OVERLOADED, e);
    });
    assertHungUp();
  }

  @Test
  void anErrorBodyOverTheLimitEndsAStreamMappedFromItsHead() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().fault(MockFault.OVERSIZED_ERROR_BODY, List.of());
    Limits limits = Limits.errorBodyBytes(4 * 1024);

    withLimits(limits, limited -> assertMapped(MockError.OVERLOADED,
        failed(events(limited, ChatRequest.of(model(), "Hello"))).error()));
    assertHungUp();
  }

  @Test
  void moreToolCallsThanTheLimitAreATypedErrorAndAsManyAreServed() {
    assumeCapable(ModelCapabilities::tools, "tools");
    List<ToolCall> calls = List.of(new ToolCall("call_1", "get_weather", PARIS),
        new ToolCall("call_2", "get_time", "{\"zone\":\"Asia/Tokyo\"}"),
        new ToolCall("call_3", "get_time", "{\"zone\":\"Europe/Paris\"}"));
    server().replyToolCalls(calls, Usage.of(90, 60)).replyToolCalls(calls, Usage.of(90, 60));
    ChatRequest request = ChatRequest.builder(model()).user("Weather and times?").tool(WEATHER)
        .tool(TIME).build();

    withLimits(Limits.toolCalls(2), limited -> assertTooLarge(
        assertThrows(ResponseTooLargeException.class,
            () -> limited.chat(request, attempt(limited, model()))),
        ResponseTooLargeException.Kind.TOOL_CALLS, 2, "maxToolCalls", limited));
    withLimits(Limits.toolCalls(3), limited ->
        assertToolCalls(calls, limited.chat(request, attempt(limited, model())).toolCalls()));
  }

  @Test
  void moreStreamedToolCallsThanTheLimitEndTheStreamWithATypedFailure() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    assumeCapable(ModelCapabilities::tools, "tools");
    List<ToolCall> calls = List.of(new ToolCall("call_1", "get_weather", PARIS),
        new ToolCall("call_2", "get_time", "{\"zone\":\"Asia/Tokyo\"}"),
        new ToolCall("call_3", "get_time", "{\"zone\":\"Europe/Paris\"}"));
    server().streamToolCalls(calls, 3, Usage.of(90, 60))
        .streamToolCalls(calls, 3, Usage.of(90, 60));
    ChatRequest request = ChatRequest.builder(model()).user("Weather and times?").tool(WEATHER)
        .tool(TIME).build();

    withLimits(Limits.toolCalls(2), limited -> {
      ChatEvent.Failed failed = failed(events(limited, request));
      assertInstanceOf(ResponseTooLargeException.class, failed.error());
      assertTooLarge((ResponseTooLargeException) failed.error(),
          ResponseTooLargeException.Kind.TOOL_CALLS, 2, "maxToolCalls", limited);
    });
    withLimits(Limits.toolCalls(3), limited ->
        assertToolCalls(calls, completed(events(limited, request)).toolCalls()));
  }

  // ---- consumers

  @Test
  void closingAStreamMidwayDisconnectsFromTheServer() {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    server().pace(Duration.ofMillis(20))
        .streamText(Collections.nCopies(500, "x"), Usage.of(5, 500));

    try (StreamIterator<ChatEvent> events = iterator(ChatRequest.of(model(), "Count"))) {
      ChatEvent event;
      do {
        assertTrue(events.hasNext(), "the stream ended before any text");
        event = events.next();
        assertFalse(event.isTerminal(), "ended before any text: " + event);
      } while (!(event instanceof ChatEvent.TextDelta));
    }

    assertTrue(server().awaitClientDisconnect(), "closing the stream cancels the HTTP call");
    assertFalse(server().awaitStreamWritten(Duration.ZERO), "the server never finished");
  }

  @Test
  void aConsumerThatStopsRequestingLeavesTheRestOfTheStreamUnread() throws InterruptedException {
    assumeCapable(ModelCapabilities::streaming, "streaming");
    // far more than socket buffers hold (a few MB): unread, the server cannot finish writing it
    List<String> deltas = new ArrayList<>();
    deltas.add("Hello");
    deltas.addAll(Collections.nCopies(128, "x".repeat(256 * 1024)));
    server().streamText(deltas, Usage.of(5, 1_000_000));
    List<ChatEvent> received = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<@Nullable Object> ended = new AtomicReference<>();
    AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();
    CountDownLatch firstEvent = new CountDownLatch(1);

    provider().stream(ChatRequest.of(model(), "Talk"), attempt(model()))
        .subscribe(new Flow.Subscriber<ChatEvent>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(1);
          }

          @Override
          public void onNext(ChatEvent item) {
            received.add(item);
            firstEvent.countDown();
          }

          @Override
          public void onError(Throwable t) {
            ended.set(t);
          }

          @Override
          public void onComplete() {
            ended.set("complete");
          }
        });

    try {
      assertTrue(firstEvent.await(10, TimeUnit.SECONDS), "the first event arrives");
      assertFalse(server().awaitStreamWritten(Duration.ofSeconds(2)),
          "with no demand the transport stops reading, so the server cannot finish the stream");
      assertEquals(1, received.size(), () -> "one event requested, got " + received);
      assertNull(ended.get(), "the stream does not end without demand");
    } finally {
      Flow.Subscription s = subscription.get();
      if (s != null) {
        s.cancel();
      }
    }
    assertTrue(server().awaitClientDisconnect(), "cancelling the subscription cancels the call");
  }

  // ---- helpers

  /** Runs the check with a provider reading no more than the limits allow. */
  private void withLimits(Limits limits, Consumer<Provider> check) {
    Provider limited = providerLimitedTo(server(), limits);
    assumeTrue(limited != null, "the transport takes no read limits");
    try {
      check.accept(limited);
    } finally {
      limited.close();
    }
  }

  /** The failure names what was too large, the limit and its setting, provider and model. */
  private void assertTooLarge(ResponseTooLargeException e, ResponseTooLargeException.Kind kind,
      long limit, String setting, Provider limited) {
    assertEquals(kind, e.kind(), () -> "what was too large: " + e);
    assertEquals(limit, e.limit(), "the limit it passed");
    assertTrue(e.getMessage().contains(setting) && e.getMessage().contains(String.valueOf(limit)),
        () -> "the message names the limit and the setting " + setting + ": " + e.getMessage());
    assertEquals(limited.name(), e.provider(), "the provider is named");
    assertEquals(model(), e.model(), "the model is named");
    assertFalse(e.getMessage().contains("xxxxxxxx"), () -> "the body is not quoted: " + e);
    assertTrue(e.isRetriable(), "the provider misbehaved: another attempt may do better");
    assertNoKey(e);
  }

  /** The client hung up while the mock still had most of its 1 GiB to write. */
  private void assertHungUp() {
    assertTrue(server().awaitClientDisconnect(), "the transport hung up at its limit");
    assertFalse(server().awaitStreamWritten(Duration.ZERO), "the 1 GiB was never all written");
  }

  /** Every event of a stream of the given provider, checking it ends with one terminal event. */
  private List<ChatEvent> events(Provider p, ChatRequest request) {
    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it =
        ChatStream.of(p.stream(request, attempt(p, request.model()))).iterator()) {
      it.forEachRemaining(events::add);
    }
    assertEquals(1, events.stream().filter(ChatEvent::isTerminal).count(),
        () -> "exactly one terminal event: " + events);
    return events;
  }

  private AttemptContext attempt(String model, long deadlineNanos) {
    return new AttemptContext("conformance-" + CALLS.incrementAndGet(),
        new Deployment(provider().name(), model), 1, deadlineNanos);
  }

  private static AttemptContext attempt(Provider provider, String model) {
    return new AttemptContext("conformance-" + CALLS.incrementAndGet(),
        new Deployment(provider.name(), model), 1, AttemptContext.NO_DEADLINE);
  }

  /**
   * Reads a stream to its end: the error of its {@link ChatEvent.Failed}, else its last event (an
   * error {@code stream} throws itself propagates).
   */
  private static Object streamOutcome(Provider provider, ChatRequest request,
      AttemptContext attempt) {
    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it = ChatStream.of(provider.stream(request, attempt))
        .iterator()) {
      it.forEachRemaining(events::add);
    }
    if (events.isEmpty()) {
      return "no event";
    }
    ChatEvent last = events.get(events.size() - 1);
    return last instanceof ChatEvent.Failed f ? f.error() : last;
  }

  private ChatResponse chat(ChatRequest request) {
    return provider().chat(request, attempt(request.model()));
  }

  private StreamIterator<ChatEvent> iterator(ChatRequest request) {
    return ChatStream.of(provider().stream(request, attempt(request.model()))).iterator();
  }

  /** Every event of a stream, checking it ends with exactly one terminal event. */
  private List<ChatEvent> stream(ChatRequest request) {
    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it = iterator(request)) {
      it.forEachRemaining(events::add);
    }
    assertFalse(events.isEmpty(), "a stream ends with a terminal event");
    long terminals = events.stream().filter(ChatEvent::isTerminal).count();
    assertEquals(1, terminals, () -> "exactly one terminal event: " + events);
    assertTrue(events.get(events.size() - 1).isTerminal(), () -> "the terminal event is last: "
        + events);
    return events;
  }

  private static ChatResponse completed(List<ChatEvent> events) {
    ChatEvent last = events.get(events.size() - 1);
    if (last instanceof ChatEvent.Failed f) {
      throw new AssertionError("the stream failed: " + f.error(), f.error());
    }
    return ((ChatEvent.Completed) last).response();
  }

  private static ChatEvent.Failed failed(List<ChatEvent> events) {
    ChatEvent last = events.get(events.size() - 1);
    if (last instanceof ChatEvent.Failed f) {
      return f;
    }
    return fail("the stream should have failed, but completed: " + events);
  }

  private static String text(List<ChatEvent> events) {
    return String.join("", textDeltas(events));
  }

  private static List<String> textDeltas(List<ChatEvent> events) {
    List<String> out = new ArrayList<>();
    for (ChatEvent e : events) {
      if (e instanceof ChatEvent.TextDelta d) {
        out.add(d.text());
      }
    }
    return out;
  }

  private void assumeCapable(Predicate<ModelCapabilities> can, String what) {
    assumeTrue(can.test(provider().capabilities(model())),
        () -> model() + " at " + provider().name() + " has no " + what);
  }

  /** The usage as the format can report it: without reasoning tokens where it has no field. */
  private Usage asReported(Usage usage) {
    return reportsReasoningTokens() ? usage : new Usage(usage.inputTokens(), usage.outputTokens(),
        usage.cachedInputTokens(), usage.cacheWriteTokens(), usage.cacheWrite1hTokens(), 0,
        usage.estimated());
  }

  private static void assertUsage(Usage expected, Usage actual) {
    assertEquals(expected.inputTokens(), actual.inputTokens(), "input tokens (cached included)");
    assertEquals(expected.outputTokens(), actual.outputTokens(),
        "output tokens (reasoning included)");
    assertEquals(expected.cachedInputTokens(), actual.cachedInputTokens(), "cached input tokens");
    assertEquals(expected.cacheWriteTokens(), actual.cacheWriteTokens(), "cache-write tokens");
    assertEquals(expected.reasoningTokens(), actual.reasoningTokens(), "reasoning tokens");
    assertFalse(actual.estimated(), "the provider's own counts, not an estimate");
  }

  private static void assertToolCalls(List<ToolCall> expected, List<ToolCall> actual) {
    assertEquals(expected.size(), actual.size(), () -> "tool calls: " + actual);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).id(), actual.get(i).id(), "id of call " + i);
      assertEquals(expected.get(i).name(), actual.get(i).name(), "name of call " + i);
      assertJsonEquals(expected.get(i).arguments(), actual.get(i).arguments());
    }
  }

  private void assertMapped(MockError error, GatewayException e) {
    Class<?> expected = expected(error);
    assertEquals(expected, apiType(e.getClass()),
        () -> error + " should map to " + expected.getSimpleName() + ", was " + e);
    if (error == MockError.RATE_LIMITED || error == MockError.RATE_LIMITED_BY_PROXY) {
      assertEquals(Duration.ofSeconds(2), ((RateLimitedException) e).retryAfter(),
          "the server's Retry-After");
    }
    assertEquals(provider().name(), e.provider(), "the provider is named");
    assertNoKey(e);
  }

  private static Class<? extends GatewayException> expected(MockError error) {
    Map<MockError, Class<? extends GatewayException>> types = new EnumMap<>(MockError.class);
    types.put(MockError.CONTEXT_LENGTH, ContextLengthExceededException.class);
    types.put(MockError.INVALID_REQUEST, InvalidRequestException.class);
    types.put(MockError.QUOTES_PROMPT, InvalidRequestException.class);
    types.put(MockError.CONTENT_FILTERED, ContentFilteredException.class);
    types.put(MockError.AUTHENTICATION, AuthenticationException.class);
    types.put(MockError.PERMISSION, AccessDeniedException.class);
    types.put(MockError.MODEL_NOT_FOUND, ModelNotFoundException.class);
    types.put(MockError.RATE_LIMITED, RateLimitedException.class);
    types.put(MockError.RATE_LIMITED_BY_PROXY, RateLimitedException.class);
    types.put(MockError.QUOTA_EXHAUSTED, QuotaExhaustedException.class);
    types.put(MockError.SERVER_ERROR, ProviderUnavailableException.class);
    types.put(MockError.UNAVAILABLE, ProviderUnavailableException.class);
    types.put(MockError.OVERLOADED, ProviderOverloadedException.class);
    return types.get(error);
  }

  /** The exception's type in the api's tree (a transport may throw its own subclass of it). */
  private static Class<?> apiType(Class<?> type) {
    Class<?> c = type;
    while (c != null && !c.getPackageName().equals(GatewayException.class.getPackageName())) {
      c = c.getSuperclass();
    }
    return c == null ? type : c;
  }

  /** Neither the key nor its secret middle appears in any message of the exception's chain. */
  private void assertNoKey(Throwable e) {
    String key = apiKey();
    String middle = key.length() > 12 ? key.substring(8, key.length() - 4) : key;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      assertFalse(message.contains(key), () -> "the API key leaked into: " + message);
      assertFalse(message.contains(middle), () -> "part of the API key leaked into: " + message);
      assertFalse(String.valueOf(t).contains(key), "the API key leaked into toString()");
    }
  }

  private static void assertJsonEquals(String expected, String actual) {
    assertEquals(tree(expected), tree(actual), () -> "JSON " + actual);
  }

  /** Each of the texts is part of some string of the body, in this order. */
  private static void assertInOrder(List<String> strings, String... texts) {
    int from = 0;
    for (String text : texts) {
      int found = -1;
      for (int i = from; i < strings.size(); i++) {
        if (strings.get(i).contains(text)) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        fail("'" + text + "' is not sent after the texts before it; the body's strings: "
            + strings);
      }
      from = found + 1;
    }
  }

  private static JsonNode body(MockRequest request) {
    return tree(request.body());
  }

  /** Every string value of the request's JSON body, in document order. */
  private static List<String> strings(MockRequest request) {
    return strings(body(request));
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, out);
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    } else {
      node.forEach(child -> collect(child, out));
    }
  }

  private static boolean containsNode(JsonNode tree, JsonNode wanted) {
    if (tree.equals(wanted)) {
      return true;
    }
    for (JsonNode child : tree) {
      if (containsNode(child, wanted)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }
}
