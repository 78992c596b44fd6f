package dev.llmgateway.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.FinishReason;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fixtures, served over a real socket, decode into the canonical types. */
class AnthropicFixturesTest {
  private static final String ANTHROPIC = AnthropicProvider.FORMAT;
  private static final String KEY = "sk-ant-api03-fixture-SECRET-0123456789";
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
        .executor(Runnable::run).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private static String fixture(String name) {
    try (InputStream in = AnthropicFixturesTest.class.getResourceAsStream(
        "/fixtures/anthropic/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(name, e);
    }
  }

  private void serve(int code, String body, String contentType, String... headers) {
    MockResponse.Builder b = new MockResponse.Builder().code(code)
        .setHeader("content-type", contentType).setHeader("request-id", "req_test_1")
        .setHeader("anthropic-ratelimit-requests-remaining", "3999").body(body);
    for (int i = 0; i < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    server.enqueue(b.build());
  }

  private ChatResponse chat() {
    return provider.chat(ChatRequest.of("claude-sonnet-4-5", "hi"), attempt());
  }

  private static AttemptContext attempt() {
    return AttemptContext.standalone(new Deployment("anthropic", "claude-sonnet-4-5"));
  }

  private List<ChatEvent> stream() {
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(provider.stream(ChatRequest.of("claude-sonnet-4-5", "hi"),
        attempt())).iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }

  @Test
  void aTextResponseCarriesItsTextIdsUsageAndRateLimitHeaders() {
    serve(200, fixture("messages-response-text.json"), "application/json");

    ChatResponse r = chat();

    assertThat(r.text()).isEqualTo("Hi! My name is Claude.");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.rawFinishReason()).isEqualTo("end_turn");
    assertThat(r.usage()).isEqualTo(Usage.of(12, 10));
    assertThat(r.providerResponseId()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    assertThat(r.providerRequestId()).isEqualTo("req_test_1");
    assertThat(r.rateLimits()).containsEntry("anthropic-ratelimit-requests-remaining", "3999");
  }

  @Test
  void theModelThatAnsweredIsReadFromTheMessageAndFromMessageStart() {
    serve(200, fixture("messages-response-text.json"), "application/json");
    serve(200, fixture("messages-stream-full.sse"), "text/event-stream");
    AttemptContext unary = attempt();
    AttemptContext streamed = attempt();

    ChatResponse answer = provider.chat(ChatRequest.of("claude-sonnet-4-5", "hi"), unary);
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(provider.stream(ChatRequest.of("claude-sonnet-4-5", "hi"),
        streamed)).iterator()) {
      it.forEachRemaining(events::add);
    }

    assertThat(answer.servedModel()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(((ChatEvent.Completed) events.get(events.size() - 1)).response().servedModel())
        .isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(unary.httpStatus()).isEqualTo(200);
    assertThat(streamed.httpStatus()).isEqualTo(200);
  }

  @Test
  void toolUseBlocksBecomeToolCallsInOrderWithTheirInputAsJson() {
    serve(200, fixture("messages-response-tool-use.json"), "application/json");

    ChatResponse r = chat();

    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.text()).isEqualTo("I'll check the weather in Paris and the time in Tokyo.");
    assertThat(r.toolCalls()).containsExactly(
        new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
            "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
        new ToolCall("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_time", "{\"zone\":\"Asia/Tokyo\"}"));
  }

  @Test
  void thinkingWithItsSignatureAndRedactedThinkingBecomeReasoningParts() {
    serve(200, fixture("messages-response-thinking.json"), "application/json");

    ChatResponse r = chat();

    assertThat(r.message().content()).containsExactly(
        new ContentPart.Reasoning("The user wants the weather in Paris. I should call "
            + "get_weather.", SIGNATURE, null, ANTHROPIC),
        new ContentPart.Reasoning(null, null, REDACTED, ANTHROPIC),
        ContentPart.text("Let me look that up."));
    assertThat(r.toolCalls()).hasSize(1);
    assertThat(r.usage().reasoningTokens()).as("Anthropic reports no thinking tokens").isZero();
  }

  @ParameterizedTest
  @CsvSource({
      "messages-response-text.json, end_turn, STOP",
      "messages-response-stop-sequence.json, stop_sequence, STOP",
      "messages-response-max-tokens.json, max_tokens, LENGTH",
      "messages-response-tool-use.json, tool_use, TOOL_CALLS",
      "messages-response-refusal.json, refusal, CONTENT_FILTER",
      "messages-response-pause-turn.json, pause_turn, OTHER"})
  void stopReasonsMapToFinishReasonsAndKeepTheRawOne(String file, String raw,
      FinishReason expected) {
    serve(200, fixture(file), "application/json");

    ChatResponse r = chat();

    assertThat(r.finishReason()).isEqualTo(expected);
    assertThat(r.rawFinishReason()).isEqualTo(raw);
  }

  @Test
  void cacheReadsAndWritesAddUpToTheCanonicalInputWithOneHourWritesKept() {
    serve(200, fixture("messages-response-cache-usage.json"), "application/json");

    Usage u = chat().usage();

    assertThat(u.inputTokens()).isEqualTo(100 + 1000 + 500);
    assertThat(u.cachedInputTokens()).isEqualTo(1000);
    assertThat(u.cacheWriteTokens()).isEqualTo(500);
    assertThat(u.cacheWrite1hTokens()).isEqualTo(200);
    assertThat(u.outputTokens()).isEqualTo(50);
    assertThat(u.reasoningTokens()).isZero();
    assertThat(u.estimated()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "400, error-400-prompt-too-long.json, ContextLengthExceededException",
      "400, error-400-invalid-request.json, InvalidRequestException",
      "400, error-400-credit-balance.json, QuotaExhaustedException",
      "401, error-401-authentication.json, AuthenticationException",
      "403, error-403-permission.json, AccessDeniedException",
      "404, error-404-not-found.json, ModelNotFoundException",
      "413, error-413-request-too-large.json, InvalidRequestException",
      "429, error-429-rate-limit.json, RateLimitedException",
      "500, error-500-api-error.json, ProviderUnavailableException",
      "529, error-529-overloaded.json, ProviderOverloadedException"})
  void everyErrorBodyMapsToItsExceptionWithStatusTypeAndRequestId(int status, String file,
      String type) {
    serve(status, fixture(file).replace("invalid x-api-key", "invalid x-api-key " + KEY),
        "application/json", "retry-after", "17");

    Throwable t = catchThrowable(this::chat);

    assertThat(t).isInstanceOf(GatewayException.class);
    assertThat(apiType(t.getClass()).getSimpleName()).isEqualTo(type);
    GatewayException e = (GatewayException) t;
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.details().providerCode()).isNotBlank();
    assertThat(e.details().requestId()).isEqualTo("req_test_1");
    assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("fixture-SECRET");
    if (e instanceof RateLimitedException r) {
      assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(17));
    }
  }

  /**
   * Issue 23.3: the HTTP status decides the class where it is unambiguous, whatever the body's
   * type says (a proxy's 429 with {@code invalid_request_error} is a rate limit with its {@code
   * retry-after}; a 5xx is the provider's), as Anthropic's own SDK classes errors by status.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "429, RateLimitedException",
      "529, ProviderOverloadedException",
      "500, ProviderUnavailableException",
      "503, ProviderUnavailableException"})
  void theStatusDecidesTheClassWhateverTheBodysTypeSays(int status, String type) {
    serve(status, fixture("error-429-invalid-request-type.json"), "application/json",
        "retry-after", "17");

    Throwable t = catchThrowable(this::chat);

    assertThat(apiType(t.getClass()).getSimpleName()).isEqualTo(type);
    GatewayException e = (GatewayException) t;
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.providerErrorCode()).isEqualTo("invalid_request_error");
    if (e instanceof RateLimitedException r) {
      assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(17));
    }
  }

  @Test
  void aStreamOpenedWithARateLimitWhoseBodySaysInvalidRequestFailsAsRateLimited() {
    serve(429, fixture("error-429-invalid-request-type.json"), "application/json",
        "retry-after", "17");

    List<ChatEvent> events = stream();

    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOfSatisfying(RateLimitedException.class,
            r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(17))));
  }

  private static Class<?> apiType(Class<?> type) {
    Class<?> c = type;
    while (!c.getPackageName().equals(GatewayException.class.getPackageName())) {
      c = c.getSuperclass();
    }
    return c;
  }

  @Test
  void anHtmlErrorPageIsDescribedNeverQuoted() {
    serve(502, "<html><body>Bad gateway " + KEY + "</body></html>", "text/html");

    Throwable t = catchThrowable(this::chat);

    assertThat(t).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("non-JSON body (text/html")
        .hasMessageNotContaining("<html>").hasMessageNotContaining(KEY);
  }

  @Test
  void theStreamTranscriptBecomesEventsInOrderAndCompletesWithTheWholeMessage() {
    serve(200, fixture("messages-stream-full.sse"), "text/event-stream");

    List<ChatEvent> events = stream();

    assertThat(events).hasSize(11);
    assertThat(events.subList(0, 9)).containsExactly(
        new ChatEvent.ReasoningDelta("The user wants the weather in Paris. ", null, null,
            ANTHROPIC),
        new ChatEvent.ReasoningDelta("I should call get_weather.", null, null, ANTHROPIC),
        new ChatEvent.ReasoningDelta(null, SIGNATURE, null, ANTHROPIC),
        new ChatEvent.ReasoningDelta(null, null, REDACTED, ANTHROPIC),
        new ChatEvent.TextDelta("Let me look"),
        new ChatEvent.TextDelta(" that up."),
        new ChatEvent.ToolCallDelta(0, "toolu_01A09q90qw90lq917835lq9", "get_weather", ""),
        new ChatEvent.ToolCallDelta(0, null, null, "{\"city\": \"Par"),
        new ChatEvent.ToolCallDelta(0, null, null, "is\", \"unit\": \"celsius\"}"));
    Usage usage = new Usage(1600, 240, 1000, 500, 200, 0, false);
    assertThat(events.get(9)).isEqualTo(new ChatEvent.UsageReport(usage));
    ChatEvent.Completed done = (ChatEvent.Completed) events.get(events.size() - 1);
    ChatResponse r = done.response();
    assertThat(r.message().content()).containsExactly(
        new ContentPart.Reasoning("The user wants the weather in Paris. I should call "
            + "get_weather.", SIGNATURE, null, ANTHROPIC),
        new ContentPart.Reasoning(null, null, REDACTED, ANTHROPIC),
        ContentPart.text("Let me look that up."));
    assertThat(r.toolCalls()).containsExactly(new ToolCall("toolu_01A09q90qw90lq917835lq9",
        "get_weather", "{\"city\": \"Paris\", \"unit\": \"celsius\"}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.rawFinishReason()).isEqualTo("tool_use");
    assertThat(r.usage()).isEqualTo(usage);
    assertThat(r.providerResponseId()).isEqualTo("msg_01Pb2NKyQVyv4XUd1ec1a2Ff");
    assertThat(r.providerRequestId()).isEqualTo("req_test_1");
  }

  @Test
  void anInBandErrorEventEndsTheStreamWithTheMappedFailureAfterTheTextDelivered() {
    serve(200, fixture("messages-stream-error.sse"), "text/event-stream");

    List<ChatEvent> events = stream();

    assertThat(events).hasSize(3);
    assertThat(events.get(0)).isEqualTo(new ChatEvent.TextDelta("Hel"));
    assertThat(events.get(1)).isEqualTo(new ChatEvent.TextDelta("lo"));
    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(2);
    assertThat(failed.error()).isInstanceOf(ProviderOverloadedException.class)
        .hasMessageStartingWith("Overloaded");
    assertThat(failed.error().details().providerCode()).isEqualTo("overloaded_error");
    assertThat(failed.deliveredEvents()).isEqualTo(2);
    assertThat(failed.deliveredTextChars()).isEqualTo(5);
    assertThat(failed.usage().inputTokens()).isEqualTo(25);
  }

  @Test
  void anErrorStatusOnAStreamEndsItWithAFailedEventOfTheMappedType() {
    serve(529, fixture("error-529-overloaded.json"), "application/json");

    List<ChatEvent> events = stream();

    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOf(ProviderOverloadedException.class));
  }

  @Test
  void aStreamCutBeforeMessageStopFailsAsTheProvidersFault() {
    String full = fixture("messages-stream-error.sse");
    serve(200, full.substring(0, full.indexOf("event: error")), "text/event-stream");

    List<ChatEvent> events = stream();

    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isExactlyInstanceOf(ProviderUnavailableException.class));
  }
}
