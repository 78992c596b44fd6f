package dev.llmgateway.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The transport reads the bodies OpenAI and Azure document (fixtures shaped after their published
 * references, see {@code fixtures/README.md}) into the canonical types, over a real socket.
 */
class OpenAiFixturesTest {
  private static final String KEY = "sk-abc12FIXTURE-SECRET-wxyz";
  private final MockWebServer server = new MockWebServer();
  private OpenAiProvider openai;
  private OpenAiProvider azure;

  @BeforeEach
  void start() throws Exception {
    server.start();
    String url = server.url("/").toString();
    openai = OpenAiPresets.openAi().baseUrl(url + "v1").apiKey(KEY).executor(Runnable::run)
        .build();
    azure = OpenAiPresets.azure(url, "2024-10-21").apiKey(KEY).executor(Runnable::run).build();
  }

  @AfterEach
  void stop() {
    openai.close();
    azure.close();
    server.close();
  }

  static String fixture(String path) {
    try (InputStream in = OpenAiFixturesTest.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void serve(int code, String body, String contentType, String headersFixture) {
    MockResponse.Builder b = new MockResponse.Builder().code(code)
        .addHeader("content-type", contentType).body(body);
    if (headersFixture != null) {
      for (String line : fixture(headersFixture).split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && !line.regionMatches(true, 0, "content-type", 0, 12)) {
          b.addHeader(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
    }
    server.enqueue(b.build());
  }

  private ChatResponse chat(OpenAiProvider provider) {
    return provider.chat(ChatRequest.of("gpt-4.1", "hi"),
        AttemptContext.standalone(new Deployment(provider.name(), "gpt-4.1")));
  }

  private List<ChatEvent> stream(OpenAiProvider provider) {
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(provider.stream(ChatRequest.of("gpt-4.1", "hi"),
        AttemptContext.standalone(new Deployment(provider.name(), "gpt-4.1")))).iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }

  @Test
  void aBasicCompletionMapsUsageOntoTheCanonicalMeaning() {
    serve(200, fixture("openai/chat-response-basic.json"), "application/json", null);
    ChatResponse r = chat(openai);
    assertThat(r.text()).startsWith("Yes. A folding bike");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.rawFinishReason()).isEqualTo("stop");
    assertThat(r.usage()).isEqualTo(new Usage(1187, 42, 1024, 0, 0, false));
    assertThat(r.providerResponseId()).isEqualTo("chatcmpl-C6gT2rYwQ8bN1vKx5LmZp0HdJ3sFa");
    assertThat(r.rawBody()).contains("chat.completion");
    assertThat(r.deployment()).isEqualTo(new Deployment("openai", "gpt-4.1"));
  }

  @Test
  void parallelToolCallsKeepTheirIdsAndArguments() {
    serve(200, fixture("openai/chat-response-tool-calls.json"), "application/json", null);
    ChatResponse r = chat(openai);
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.toolCalls()).hasSize(2).allSatisfy(c -> {
      assertThat(c.id()).startsWith("call_");
      assertThat(c.name()).isNotBlank();
      assertThat(c.arguments()).startsWith("{");
    });
  }

  @Test
  void reasoningTokensAreASubsetOfOutput() {
    serve(200, fixture("openai/chat-response-length.json"), "application/json", null);
    ChatResponse r = chat(openai);
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.usage().reasoningTokens()).isPositive()
        .isLessThanOrEqualTo(r.usage().outputTokens());
  }

  /**
   * Issue 23.1: xAI counts reasoning tokens beside {@code completion_tokens}, its {@code
   * total_tokens} being prompt + completion + reasoning (663 + 50 + 124 = 837); output must be 174,
   * not 50 (reasoning dropped) nor 124 (the larger of the two).
   */
  @Test
  void reasoningTokensCountedBesideCompletionTokensAreAddedToOutput() {
    serve(200, fixture("xai/chat-response-reasoning-beside-completion.json"), "application/json",
        null);
    ChatResponse r = chat(openai);
    assertThat(r.text()).isEqualTo("I am Grok, an AI assistant built by xAI.");
    assertThat(r.usage()).isEqualTo(new Usage(663, 50 + 124, 654, 0, 124, false));
  }

  @Test
  void aStreamsReasoningTokensCountedBesideCompletionTokensAreAddedToOutput() {
    serve(200, fixture("xai/chat-stream-reasoning-beside-completion.sse"), "text/event-stream",
        null);
    List<ChatEvent> events = stream(openai);
    Usage expected = new Usage(663, 50 + 124, 654, 0, 124, false);
    assertThat(events).contains(new ChatEvent.UsageReport(expected));
    ChatResponse done = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(done.text()).isEqualTo("I am Grok, an AI assistant built by xAI.");
    assertThat(done.usage()).isEqualTo(expected);
  }

  /** Without a total, reasoning above completion can only have been counted beside it. */
  @Test
  void withoutATotalReasoningAboveCompletionIsAddedNotTakenAsTheOutput() {
    serve(200, "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"4\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,"
        + "\"completion_tokens\":2,\"completion_tokens_details\":{\"reasoning_tokens\":317}}}",
        "application/json", null);
    assertThat(chat(openai).usage()).isEqualTo(new Usage(12, 319, 0, 0, 317, false));
  }

  /**
   * Issue 23.6: reported counts are used as reported; only an answer that reports none (some
   * compatible servers send no {@code usage}) is billed by the gateway's estimate, never free.
   */
  @Test
  void aCompletionWithoutUsageIsEstimatedNotFree() {
    serve(200, "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Yes. A folding bike fits in most trunks.\"},\"finish_reason\":\"stop\"}]}",
        "application/json", null);
    Usage usage = chat(openai).usage();
    assertThat(usage.estimated()).isTrue();
    assertThat(usage.inputTokens()).isPositive();
    assertThat(usage.outputTokens()).isEqualTo(10);
  }

  @Test
  void theModelThatAnsweredIsReadFromTheBodyAndEveryChunkAndTheStatusReportedOnTheAttempt() {
    serve(200, fixture("openai/chat-response-basic.json"), "application/json", null);
    serve(200, fixture("openai/chat-stream-basic.sse"), "text/event-stream", null);
    serve(200, fixture("azure/chat-stream-with-filters.sse"), "text/event-stream", null);
    serve(200, fixture("openai/embeddings-response.json"), "application/json", null);
    AttemptContext unary = AttemptContext.standalone(new Deployment("openai", "gpt-4.1"));
    AttemptContext streamed = AttemptContext.standalone(new Deployment("openai", "gpt-4.1"));
    AttemptContext embedded = AttemptContext.standalone(new Deployment("openai", "e"));

    ChatResponse answer = openai.chat(ChatRequest.of("gpt-4.1", "hi"), unary);
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(openai.stream(ChatRequest.of("gpt-4.1", "hi"), streamed))
        .iterator()) {
      it.forEachRemaining(events::add);
    }
    List<ChatEvent> azureEvents = stream(azure); // its first chunk names the model ""
    EmbeddingResponse vectors = openai.embed(EmbeddingRequest.of("text-embedding-3-small",
        "first", "second"), embedded);

    assertThat(answer.servedModel()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(((ChatEvent.Completed) events.get(events.size() - 1)).response().servedModel())
        .isEqualTo("gpt-4.1-2025-04-14");
    assertThat(((ChatEvent.Completed) azureEvents.get(azureEvents.size() - 1)).response()
        .servedModel()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(vectors.servedModel()).isEqualTo("text-embedding-3-small");
    assertThat(List.of(unary, streamed, embedded)).extracting(AttemptContext::httpStatus)
        .containsOnly(200);
  }

  @Test
  void embeddingsUseTheReportedPromptTokensAndEstimateOnlyWhenNoneAreReported() {
    serve(200, fixture("openai/embeddings-response.json"), "application/json", null);
    EmbeddingResponse reported = openai.embed(EmbeddingRequest.of("text-embedding-3-small",
        "first", "second"), AttemptContext.standalone(new Deployment("openai", "e")));
    assertThat(reported.usage()).isEqualTo(Usage.of(22, 0));

    String body = fixture("openai/embeddings-response.json");
    serve(200, body.substring(0, body.indexOf("\"usage\"")).stripTrailing().replaceAll(",$", "")
        + "}", "application/json", null);
    EmbeddingResponse unreported = openai.embed(EmbeddingRequest.of("text-embedding-3-small",
        "first", "second"), AttemptContext.standalone(new Deployment("openai", "e")));
    assertThat(unreported.usage().estimated()).isTrue();
    assertThat(unreported.usage().inputTokens()).isPositive();
  }

  @Test
  void aRefusalIsTheTextWithAContentFilterFinish() {
    serve(200, fixture("openai/chat-response-refusal.json"), "application/json", null);
    ChatResponse r = chat(openai);
    assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(r.rawFinishReason()).isEqualTo("stop");
    assertThat(r.text()).isNotBlank();
  }

  @Test
  void aStreamArrivesAsDeltasThenUsageThenCompleted() {
    serve(200, fixture("openai/chat-stream-basic.sse"), "text/event-stream", null);
    List<ChatEvent> events = stream(openai);
    String text = events.stream().filter(e -> e instanceof ChatEvent.TextDelta)
        .map(e -> ((ChatEvent.TextDelta) e).text()).reduce("", String::concat);
    assertThat(text).isEqualTo("Hello! How can I help you today?");
    assertThat(events.get(events.size() - 2)).isInstanceOf(ChatEvent.UsageReport.class);
    ChatResponse done = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(done.text()).isEqualTo(text);
    assertThat(done.usage().estimated()).isFalse();
    assertThat(done.usage().inputTokens()).isPositive();
    assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void streamedToolArgumentsAreReassembled() {
    serve(200, fixture("openai/chat-stream-tool-calls.sse"), "text/event-stream", null);
    List<ChatEvent> events = stream(openai);
    ChatResponse done = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(done.toolCalls()).hasSize(2);
    for (ToolCall call : done.toolCalls()) {
      assertThat(call.id()).startsWith("call_");
      assertThat(call.arguments()).startsWith("{").endsWith("}");
    }
    assertThat(done.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void azuresFirstChunkWithFilterResultsIsNotMistakenForUsage() {
    serve(200, fixture("azure/chat-stream-with-filters.sse"), "text/event-stream", null);
    List<ChatEvent> events = stream(azure);
    assertThat(events.get(0)).isInstanceOf(ChatEvent.TextDelta.class);
    ChatResponse done = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(done.text()).isNotBlank();
    assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void azuresCompletionWithFilterResultsParses() {
    serve(200, fixture("azure/chat-response-with-filters.json"), "application/json", null);
    assertThat(chat(azure).text()).isNotBlank();
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("openai", 401, "openai/error-401-invalid-api-key.json", null,
            AuthenticationException.class),
        Arguments.of("openai", 429, "openai/error-429-rate-limit.json",
            "openai/error-429-rate-limit.headers", RateLimitedException.class),
        Arguments.of("openai", 429, "openai/error-429-insufficient-quota.json", null,
            QuotaExhaustedException.class),
        Arguments.of("openai", 400, "openai/error-400-context-length.json", null,
            ContextLengthExceededException.class),
        Arguments.of("openai", 404, "openai/error-404-model-not-found.json", null,
            ModelNotFoundException.class),
        Arguments.of("openai", 500, "openai/error-500.json", null,
            ProviderUnavailableException.class),
        Arguments.of("azure", 400, "azure/error-400-content-filter.json", null,
            ContentFilteredException.class),
        Arguments.of("azure", 429, "azure/error-429.json", "azure/error-429.headers",
            RateLimitedException.class));
  }

  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("errors")
  void documentedErrorsMapOntoTypedExceptionsWithoutTheKey(String provider, int status,
      String body, String headers, Class<? extends GatewayException> type) {
    serve(status, fixture(body), "application/json", headers);
    Throwable t = catchThrowable(() -> chat(provider.equals("azure") ? azure : openai));
    assertThat(t).isInstanceOf(type);
    GatewayException e = (GatewayException) t;
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.provider()).isEqualTo(provider);
    assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("sk-abc12");
    if (e instanceof RateLimitedException r) {
      assertThat(r.retryAfter()).isEqualTo(provider.equals("azure")
          ? Duration.ofMillis(5420) : Duration.ofSeconds(1));
    }
  }

  @Test
  void anErrorChunkInsideAStreamEndsItWithATypedFailure() {
    serve(200, fixture("openai/stream-error-chunk.sse"), "text/event-stream", null);
    List<ChatEvent> events = stream(openai);
    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
    assertThat(failed.error()).isInstanceOf(ProviderUnavailableException.class);
    assertThat(failed.deliveredEvents()).isPositive();
  }

  /**
   * Issue 23.2: Groq ends a stream with {@code event: error} and a client error ({@code
   * invalid_request_error}, {@code tool_use_failed}, {@code status_code} 400); it was mapped to
   * "unavailable", so the gateway retried and failed over a request that cannot succeed.
   */
  @Test
  void aClientErrorInsideAGroqStreamIsAnInvalidRequestNeverRetried() {
    serve(200, fixture("groq/chat-stream-error-tool-use-failed.sse"), "text/event-stream", null);
    List<ChatEvent> events;
    try (OpenAiProvider groq = OpenAiPresets.groq().baseUrl(server.url("/openai/v1").toString())
        .apiKey(KEY).executor(Runnable::run).build()) {
      events = stream(groq);
    }
    assertThat(events).startsWith(new ChatEvent.TextDelta("Let me check"),
        new ChatEvent.TextDelta(" the weather."));
    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
    assertThat(failed.error()).isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessageNotContaining("get_weather").hasMessageNotContaining("Paris");
    assertThat(failed.error().isRetriable()).isFalse();
    assertThat(failed.error().httpStatus()).isEqualTo(400);
    assertThat(failed.error().providerErrorCode()).isEqualTo("tool_use_failed");
    assertThat(failed.deliveredEvents()).isEqualTo(2);
  }

  @Test
  void anErrorInsideAStreamThatSaysNothingKnownIsTheProviders() {
    serve(200, "data: {\"error\":{\"message\":\"something broke\"}}\n\n", "text/event-stream",
        null);
    ChatEvent.Failed failed = (ChatEvent.Failed) stream(openai).get(0);
    assertThat(failed.error()).isExactlyInstanceOf(ProviderUnavailableException.class);
  }

  @Test
  void anHtmlErrorPageIsDescribedNotQuoted() {
    serve(502, "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>", "text/html", null);
    Throwable t = catchThrowable(() -> chat(openai));
    assertThat(t).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("non-JSON body (text/html")
        .hasMessageNotContaining("<html>");
  }

  @Test
  void aMalformedBodyIsATypedErrorNamingProviderModelAndStatus() {
    serve(200, "{\"id\": 12", "application/json", null);
    Throwable t = catchThrowable(() -> chat(openai));
    assertThat(t).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("provider=openai").hasMessageContaining("model=gpt-4.1")
        .hasMessageContaining("status=200");
  }

  @Test
  void anEmptyBodyIsATypedError() {
    serve(200, "", "application/json", null);
    assertThat(catchThrowable(() -> chat(openai)))
        .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("empty body");
  }

  @Test
  void requestIdAndRateLimitHeadersAreKept() {
    MockResponse response = new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json")
        .addHeader("x-request-id", "req_123")
        .addHeader("x-ratelimit-remaining-tokens", "149984")
        .body(fixture("openai/chat-response-basic.json")).build();
    server.enqueue(response);
    ChatResponse r = chat(openai);
    assertThat(r.providerRequestId()).isEqualTo("req_123");
    assertThat(r.rateLimits()).containsEntry("x-ratelimit-remaining-tokens", "149984");
  }

  @Test
  void deepSeekReasoningContentBecomesAReasoningPart() {
    serve(200, "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"4\",\"reasoning_content\":\"2+2 is 4\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9,"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":6}}}", "application/json", null);
    ChatResponse r = chat(openai);
    assertThat(r.message().content().get(0))
        .isEqualTo(new ContentPart.Reasoning("2+2 is 4", null, null, OpenAiProvider.FORMAT));
    assertThat(r.text()).isEqualTo("4");
    assertThat(r.usage()).isEqualTo(new Usage(3, 9, 0, 0, 6, false));
  }
}
