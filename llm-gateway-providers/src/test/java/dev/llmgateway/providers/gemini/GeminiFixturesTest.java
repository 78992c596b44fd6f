package dev.llmgateway.providers.gemini;

import static dev.llmgateway.providers.gemini.GeminiRequestWireTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import dev.llmgateway.FinishReason;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transport reads the bodies Gemini documents (fixtures shaped after Google's published protos,
 * see {@code fixtures/README.md}) into the canonical types, over a real socket.
 */
class GeminiFixturesTest {
  private static final String KEY = "AIzaSyFIXTURE-SECRET-0123456789abcdefg";
  private static final String MODEL = "gemini-2.5-flash";
  /** The signature both function-call fixtures put on their first call's part. */
  private static final String CALL_SIGNATURE = "CiQBcsjafGv0rYkqVd3hZf1WmJ8nQ2uS6tL5cPbX0oE7yKzA9w"
      + "MSKwFyyNp8sJd1mQx4T2vR6nB8cY0fK3hW5uE9pL2aZ7oV1iD4tG6bN0jQ";
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

  private void serve(int code, String body, String contentType) {
    server.enqueue(new MockResponse.Builder().code(code).addHeader("content-type", contentType)
        .body(body).build());
  }

  private ChatResponse chat() {
    return provider.chat(ChatRequest.of(MODEL, "hi"),
        AttemptContext.standalone(new Deployment("gemini", MODEL)));
  }

  private List<ChatEvent> stream(AttemptContext attempt) {
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(provider.stream(ChatRequest.of(MODEL, "hi"), attempt))
        .iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }

  private List<ChatEvent> stream() {
    return stream(AttemptContext.standalone(new Deployment("gemini", MODEL)));
  }

  @Test
  void usageCountsThoughtsAsOutputAndCachedTokensWithinInput() {
    serve(200, fixture("gemini/generate-response-text.json"), "application/json");
    ChatResponse r = chat();
    // prompt 1200 incl. cached 1000; candidates 50 + thoughts 150
    assertThat(r.usage()).isEqualTo(new Usage(1200, 200, 1000, 0, 150, false));
    assertThat(r.text()).startsWith("Take the direct TGV");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.rawFinishReason()).isEqualTo("STOP");
    assertThat(r.providerResponseId()).isEqualTo("Qm3IaJ-xKNOv1dkP8r2YyAQ");
    assertThat(r.message().content()).hasSize(3);
    assertThat(r.message().content().get(0)).isEqualTo(new ContentPart.Reasoning(
        "**Comparing the two routes**\n\nThe user wants the faster option; the TGV is direct.",
        null, null, GeminiProvider.FORMAT));
    assertThat(r.message().content().get(1)).isInstanceOfSatisfying(ContentPart.Reasoning.class,
        p -> assertThat(p.signature()).startsWith("EpYDCpMD").endsWith("X6mY0zJ"));
  }

  /** Issue 23.6: an answer without counts is billed by the gateway's estimate, never free. */
  @Test
  void anAnswerWithoutUsageMetadataIsEstimatedNotFree() {
    String body = fixture("gemini/generate-response-text.json");
    serve(200, body.substring(0, body.indexOf("\"usageMetadata\"")).stripTrailing()
        .replaceAll(",$", "") + "}", "application/json");
    Usage usage = chat().usage();
    assertThat(usage.estimated()).isTrue();
    assertThat(usage.inputTokens()).isPositive();
    assertThat(usage.outputTokens()).isPositive();
  }

  @Test
  void functionCallsKeepGeminiIdsAndGetStableIdsWhereItSentNone() {
    serve(200, fixture("gemini/generate-response-function-call.json"), "application/json");
    ChatResponse r = chat();
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.rawFinishReason()).isEqualTo("STOP");
    assertThat(r.toolCalls()).containsExactly(
        new ToolCall("fc_9b2e41d07c", "get_weather", "{\"city\":\"Lyon\",\"unit\":\"celsius\"}")
            .withSignature(CALL_SIGNATURE, GeminiProvider.FORMAT),
        new ToolCall("gemini_call_1", "get_time", "{\"zone\":\"Europe/Paris\"}"));
    assertThat(r.message().content()).as("the signature is on the call, not beside it").isEmpty();
    assertThat(r.usage()).isEqualTo(new Usage(96, 115, 0, 0, 84, false));
  }

  static Stream<Arguments> finishes() {
    return Stream.of(
        Arguments.of("gemini/generate-response-max-tokens.json", FinishReason.LENGTH, "MAX_TOKENS"),
        Arguments.of("gemini/generate-response-safety.json", FinishReason.CONTENT_FILTER,
            "SAFETY"),
        Arguments.of("gemini/generate-response-recitation.json", FinishReason.CONTENT_FILTER,
            "RECITATION"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("finishes")
  void finishReasonsAreNormalisedAndTheRawOneKept(String body, FinishReason finish, String raw) {
    serve(200, fixture(body), "application/json");
    ChatResponse r = chat();
    assertThat(r.finishReason()).isEqualTo(finish);
    assertThat(r.rawFinishReason()).isEqualTo(raw);
  }

  @Test
  void aBlockedPromptIsContentFiltered() {
    serve(200, fixture("gemini/generate-response-blocked-prompt.json"), "application/json");
    assertThat(catchThrowable(this::chat)).isInstanceOfSatisfying(ContentFilteredException.class,
        e -> assertThat(e.getMessage()).contains("SAFETY"));
  }

  @Test
  void aBlockedPromptEndsAStreamWithAContentFilteredFailure() {
    serve(200, "data: " + fixture("gemini/generate-response-blocked-prompt.json")
        .replace("\n", "") + "\n\n", "text/event-stream");
    List<ChatEvent> events = stream();
    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOf(ContentFilteredException.class));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(429, "gemini/error-429-rate-limit.json", RateLimitedException.class),
        Arguments.of(429, "gemini/error-429-daily-quota.json", QuotaExhaustedException.class),
        Arguments.of(400, "gemini/error-400-invalid-argument.json",
            InvalidRequestException.class),
        Arguments.of(400, "gemini/error-400-context-length.json",
            ContextLengthExceededException.class),
        Arguments.of(400, "gemini/error-400-api-key-invalid.json",
            AuthenticationException.class),
        Arguments.of(403, "gemini/error-403-permission-denied.json",
            AccessDeniedException.class),
        Arguments.of(404, "gemini/error-404-not-found.json", ModelNotFoundException.class),
        Arguments.of(500, "gemini/error-500-internal.json", ProviderUnavailableException.class),
        Arguments.of(503, "gemini/error-503-unavailable.json",
            ProviderOverloadedException.class));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errors")
  void documentedErrorsMapOntoTypedExceptionsWithoutTheKey(int status, String body,
      Class<? extends GatewayException> type) {
    serve(status, fixture(body), "application/json; charset=UTF-8");
    Throwable t = catchThrowable(this::chat);
    assertThat(t).isExactlyInstanceOf(type);
    GatewayException e = (GatewayException) t;
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.provider()).isEqualTo("gemini");
    assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("FIXTURE-SECRET");
    if (e instanceof RateLimitedException r) {
      assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7));
      assertThat(e.details().providerCode()).isEqualTo("RESOURCE_EXHAUSTED");
    }
    if (e instanceof AuthenticationException) {
      assertThat(e.details().providerCode()).isEqualTo("API_KEY_INVALID");
    }
  }

  /**
   * Issue 23.3: the status decides where it is unambiguous; a 429 whose body names a client error
   * ({@code INVALID_ARGUMENT}, code 400: a proxy's) is a rate limit with its {@code Retry-After}.
   */
  @Test
  void a429WhoseBodyNamesAClientErrorIsStillARateLimit() {
    server.enqueue(new MockResponse.Builder().code(429)
        .addHeader("content-type", "application/json; charset=UTF-8")
        .addHeader("retry-after", "7")
        .body(fixture("gemini/error-429-invalid-argument.json")).build());
    Throwable t = catchThrowable(this::chat);
    assertThat(t).isExactlyInstanceOf(RateLimitedException.class);
    assertThat(((RateLimitedException) t).retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(((GatewayException) t).httpStatus()).isEqualTo(429);
  }

  @Test
  void aKeyEchoedInAnErrorMessageIsWithheld() {
    serve(400, "{\"error\":{\"code\":400,\"message\":\"API key " + KEY + " not valid.\","
        + "\"status\":\"INVALID_ARGUMENT\"}}", "application/json");
    assertThat(catchThrowable(this::chat)).hasMessageNotContaining(KEY)
        .hasMessageStartingWith("provider message withheld");
  }

  @Test
  void anHtmlErrorPageIsDescribedNotQuoted() {
    serve(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
    assertThat(catchThrowable(this::chat)).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("non-JSON body (text/html").hasMessageNotContaining("<html>");
  }

  @Test
  void theModelThatAnsweredIsReadFromModelVersionOnTheBodyAndTheChunks() {
    serve(200, fixture("gemini/generate-response-text.json"), "application/json");
    serve(200, fixture("gemini/stream-function-call-partial-args.sse"), "text/event-stream");
    AttemptContext unary = AttemptContext.standalone(new Deployment("gemini", MODEL));
    AttemptContext streamed = AttemptContext.standalone(new Deployment("gemini", MODEL));

    ChatResponse answer = provider.chat(ChatRequest.of(MODEL, "hi"), unary);
    List<ChatEvent> events = stream(streamed);

    assertThat(answer.servedModel()).isEqualTo("gemini-2.5-flash");
    assertThat(((ChatEvent.Completed) events.get(events.size() - 1)).response().servedModel())
        .isEqualTo("gemini-3-pro-preview");
    assertThat(unary.httpStatus()).isEqualTo(200);
    assertThat(streamed.httpStatus()).isEqualTo(200);
  }

  @Test
  void aStreamArrivesAsReasoningAndTextDeltasThenUsageThenCompleted() {
    serve(200, fixture("gemini/stream-text.sse"), "text/event-stream");
    List<ChatEvent> events = stream();
    assertThat(events.get(0)).isInstanceOfSatisfying(ChatEvent.ReasoningDelta.class,
        d -> assertThat(d.text()).startsWith("**Checking the question**"));
    String text = events.stream().filter(e -> e instanceof ChatEvent.TextDelta)
        .map(e -> ((ChatEvent.TextDelta) e).text()).reduce("", String::concat);
    assertThat(text).isEqualTo("Hello! How can I help you today?");
    assertThat(events.get(events.size() - 2)).isEqualTo(
        new ChatEvent.UsageReport(new Usage(9, 41, 0, 0, 32, false)));
    ChatResponse done = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(done.text()).isEqualTo(text);
    assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(done.usage()).isEqualTo(new Usage(9, 41, 0, 0, 32, false));
    assertThat(done.providerResponseId()).isEqualTo("h3XIaOHHMuWq1dkPxtvB8Qk");
    assertThat(done.message().content()).extracting(p -> p.getClass().getSimpleName())
        .containsExactly("Reasoning", "Reasoning", "Text", "Text");
  }

  @Test
  void streamedFunctionCallsArriveWholeOneDeltaEach() {
    serve(200, fixture("gemini/stream-function-call.sse"), "text/event-stream");
    List<ChatEvent> events = stream();
    List<ChatEvent.ToolCallDelta> deltas = events.stream()
        .filter(e -> e instanceof ChatEvent.ToolCallDelta).map(e -> (ChatEvent.ToolCallDelta) e)
        .toList();
    assertThat(deltas).containsExactly(
        new ChatEvent.ToolCallDelta(0, "gemini_call_0", "get_weather",
            "{\"city\":\"Paris\",\"unit\":\"celsius\"}", CALL_SIGNATURE, GeminiProvider.FORMAT),
        new ChatEvent.ToolCallDelta(1, "gemini_call_1", "get_time", "{\"zone\":\"Asia/Tokyo\"}"));
    assertThat(events).as("the call's signature rides on its delta, not on a reasoning delta")
        .noneMatch(e -> e instanceof ChatEvent.ReasoningDelta);
    ChatResponse done = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(done.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(done.toolCalls()).hasSize(2);
    assertThat(done.usage()).isEqualTo(new Usage(70, 85, 0, 0, 52, false));
  }

  @Test
  void anErrorInsideAStreamEndsItWithATypedFailure() {
    serve(200, fixture("gemini/stream-error.sse"), "text/event-stream");
    List<ChatEvent> events = stream();
    assertThat(events.get(0)).isEqualTo(new ChatEvent.TextDelta("Once upon"));
    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
    assertThat(failed.error()).isInstanceOf(ProviderUnavailableException.class);
    assertThat(failed.error().details().providerCode()).isEqualTo("INTERNAL");
    assertThat(failed.deliveredEvents()).isEqualTo(1);
  }

  @Test
  void aStreamEndingWithoutAFinishReasonIsAFailure() {
    serve(200, fixture("gemini/stream-error.sse").lines().findFirst().orElseThrow() + "\n\n",
        "text/event-stream");
    List<ChatEvent> events = stream();
    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOf(ProviderUnavailableException.class));
  }

  @Test
  void aStreamThatStallsBeforeHeadersEndsWithAFirstTokenTimeout() {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS)
        .addHeader("content-type", "text/event-stream").body("").build());
    List<ChatEvent> events = stream(new AttemptContext("c", new Deployment("gemini", MODEL), 1,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300)));
    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOfSatisfying(GatewayTimeoutException.class,
            e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.FIRST_TOKEN)));
  }
}
