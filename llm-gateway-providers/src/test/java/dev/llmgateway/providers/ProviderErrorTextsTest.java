package dev.llmgateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Provider;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A provider's error that quotes the prompt — a social security number, a card number, an e-mail
 * address and a key without a known prefix — reaches no exception message, {@code toString()},
 * error code or log line, in each wire format, unary, streamed and inside a stream; with {@code
 * logProviderErrorBodies(true)} the body is logged at DEBUG to its own logger, and still reaches no
 * exception. (slf4j-simple, DEBUG for that logger in the test resources, writes to System.err.)
 */
@Timeout(30)
class ProviderErrorTextsTest {
  private static final String KEY = "sk-texts-SECRET-8c1d";
  private static final String SSN = "123-45-6789";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String EMAIL = "jane.doe@example.com";
  private static final String UNPREFIXED_KEY = "Zx8Qp2LmN4vR7tY1wK9sHb3D";
  private static final String PII = "SSN " + SSN + ", card " + CARD + ", mail " + EMAIL
      + ", key " + UNPREFIXED_KEY;
  private static final List<String> LEAKS =
      List.of(SSN, "6789", CARD, "4111", EMAIL, "jane.doe", UNPREFIXED_KEY, KEY);

  private final MockWebServer server = new MockWebServer();
  private final List<Provider> providers = new ArrayList<>();

  /** The three wire formats, each with an error body of its own shape quoting the prompt. */
  enum Format {
    OPENAI("gpt-4.1",
        "{\"error\":{\"message\":\"Invalid value for 'messages[0].content': '" + PII + "'\","
            + "\"type\":\"invalid_request_error\",\"param\":\"messages[0].content\","
            + "\"code\":\"invalid_value\"}}",
        "data: {\"error\":{\"message\":\"" + PII + "\",\"type\":\"server_error\",\"code\":500}}"
            + "\n\n"),
    ANTHROPIC("claude-sonnet-4-5",
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":"
            + "\"messages.0.content.0.text: " + PII + "\"},\"request_id\":\"req_1\"}",
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\""
            + PII + "\"}}\n\n"),
    GEMINI("gemini-2.5-flash",
        "{\"error\":{\"code\":400,\"message\":\"Invalid value at 'contents[0].parts[0].text' "
            + "(TYPE_STRING), \\\"" + PII + "\\\"\",\"status\":\"INVALID_ARGUMENT\"}}",
        "data: {\"error\":{\"code\":500,\"message\":\"" + PII + "\",\"status\":\"INTERNAL\"}}"
            + "\n\n");

    final String model;
    final String errorBody;
    final String inStreamError;

    Format(String model, String errorBody, String inStreamError) {
      this.model = model;
      this.errorBody = errorBody;
      this.inStreamError = inStreamError;
    }
  }

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    providers.forEach(Provider::close);
    server.close();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void anHttpErrorQuotingThePromptReachesNoExceptionNorLog(Format format) {
    Provider provider = provider(format, false);
    serve(400, format.errorBody, "application/json");
    serve(400, format.errorBody, "application/json");

    Throwable[] thrown = new Throwable[1];
    String log = Stderr.of(() -> thrown[0] = catchThrowable(() -> chat(provider, format)));
    ChatEvent.Failed[] failed = new ChatEvent.Failed[1];
    log += Stderr.of(() -> failed[0] = failed(stream(provider, format)));

    for (Throwable t : List.of(thrown[0], failed[0].error())) {
      assertThat(t).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("provider message withheld");
      assertClean(t);
      assertThat(((GatewayException) t).httpStatus()).isEqualTo(400);
    }
    assertNoLeak("the log", log);
    assertThat(failed[0].toString()).satisfies(s -> assertNoLeak("the Failed event", s));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void anErrorInsideAStreamQuotingThePromptReachesNoExceptionNorLog(Format format) {
    Provider provider = provider(format, false);
    serve(200, format.inStreamError, "text/event-stream");

    ChatEvent.Failed[] failed = new ChatEvent.Failed[1];
    String log = Stderr.of(() -> failed[0] = failed(stream(provider, format)));

    assertThat(failed[0].error().reason()).isEqualTo(switch (format) {
      case OPENAI -> "provider message withheld (enable logProviderErrorBodies to log it)";
      case ANTHROPIC -> "An unexpected error occurred inside Anthropic's systems";
      case GEMINI -> "An internal error has occurred";
    });
    assertClean(failed[0].error());
    assertNoLeak("the log", log);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void withLogProviderErrorBodiesTheBodyIsLoggedAtDebugToItsOwnLoggerAndStillReachesNoException(
      Format format) {
    Provider provider = provider(format, true);
    serve(400, format.errorBody, "application/json");

    Throwable[] thrown = new Throwable[1];
    String log = Stderr.of(() -> thrown[0] = catchThrowable(() -> chat(provider, format)));

    assertClean(thrown[0]);
    assertThat(log).contains("DEBUG dev.llmgateway.providers.ErrorBodies")
        .contains(provider.name() + " answered HTTP 400").contains(SSN).contains(EMAIL)
        .doesNotContain(KEY);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aDocumentedMessageKeepsOnlyItsFixedTextNotWhatFollows(Format format) {
    Provider provider = provider(format, false);
    serve(400, documented(format), "application/json");

    Throwable t = catchThrowable(() -> chat(provider, format));

    assertThat(t).isInstanceOf(ContextLengthExceededException.class);
    assertThat(((GatewayException) t).reason()).isEqualTo(switch (format) {
      case OPENAI -> "invalid_request_error: The input exceeds the model's maximum context length";
      case ANTHROPIC -> "prompt is too long";
      case GEMINI -> "The input token count exceeds the maximum number of tokens allowed";
    });
    assertClean(t);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void anAllowListedPrefixFollowedByThePromptKeepsOnlyTheGatewaysOwnText(Format format) {
    Provider provider = provider(format, false);
    String body = switch (format) {
      case OPENAI -> "{\"error\":{\"message\":\"Rate limit reached for " + PII + "\","
          + "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";
      case ANTHROPIC -> "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
          + "\"message\":\"This request would exceed the rate limit for your organization ("
          + PII + ")\"}}";
      case GEMINI -> "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted ("
          + PII + ")\",\"status\":\"RESOURCE_EXHAUSTED\"}}";
    };
    serve(429, body, "application/json");

    Throwable t = catchThrowable(() -> chat(provider, format));

    assertThat(t).isInstanceOf(RateLimitedException.class);
    assertThat(((GatewayException) t).reason()).isEqualTo(switch (format) {
      case OPENAI -> "requests: Rate limit reached";
      case ANTHROPIC -> "This request would exceed the rate limit for your organization";
      case GEMINI -> "Resource has been exhausted";
    });
    assertClean(t);
  }

  @ParameterizedTest
  @EnumSource(value = Format.class, names = "OPENAI")
  void anOpenAiCompatibleServersValidationDetailAndAnOddCodeAreDropped(Format format) {
    Provider provider = provider(format, false);
    serve(422, "{\"detail\":[{\"loc\":[\"body\",\"messages\"],\"msg\":\"bad\",\"input\":\""
        + PII + "\"}]}", "application/json");
    serve(400, "{\"error\":{\"message\":\"" + PII + "\",\"type\":\"" + EMAIL + "\",\"code\":\""
        + UNPREFIXED_KEY + "\"}}", "application/json");

    Throwable detail = catchThrowable(() -> chat(provider, format));
    Throwable oddCode = catchThrowable(() -> chat(provider, format));

    assertThat(detail).hasMessageStartingWith("provider message withheld");
    assertThat(((GatewayException) oddCode).providerErrorCode()).isNull();
    assertClean(detail);
    assertClean(oddCode);
  }

  // ---- helpers

  private static String documented(Format format) {
    return switch (format) {
      case OPENAI -> "{\"error\":{\"message\":\"This model's maximum context length is 128000 "
          + "tokens. However, your messages (" + PII + ") resulted in 131072 tokens.\","
          + "\"type\":\"invalid_request_error\",\"param\":\"messages\","
          + "\"code\":\"context_length_exceeded\"}}";
      case ANTHROPIC -> "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
          + "\"message\":\"prompt is too long: " + PII + "\"}}";
      case GEMINI -> "{\"error\":{\"code\":400,\"message\":\"The input token count (" + PII
          + ") exceeds the maximum number of tokens allowed (1048576).\","
          + "\"status\":\"INVALID_ARGUMENT\"}}";
    };
  }

  private Provider provider(Format format, boolean logBodies) {
    String url = server.url("/").toString();
    Provider p = switch (format) {
      case OPENAI -> OpenAiPresets.openAi().baseUrl(url + "v1").apiKey(KEY)
          .executor(Runnable::run).logProviderErrorBodies(logBodies).build();
      case ANTHROPIC -> AnthropicProvider.builder().baseUrl(url).apiKey(KEY)
          .executor(Runnable::run).logProviderErrorBodies(logBodies).build();
      case GEMINI -> GeminiProvider.builder().baseUrl(url + "v1beta").apiKey(KEY)
          .executor(Runnable::run).logProviderErrorBodies(logBodies).build();
    };
    providers.add(p);
    return p;
  }

  private void serve(int code, String body, String contentType) {
    server.enqueue(new MockResponse.Builder().code(code).setHeader("content-type", contentType)
        .body(body).build());
  }

  private static ChatRequest request(Format format) {
    return ChatRequest.of(format.model, "Please file this: " + PII);
  }

  private static AttemptContext attempt(Provider provider, Format format) {
    return AttemptContext.standalone(new Deployment(provider.name(), format.model));
  }

  private static void chat(Provider provider, Format format) {
    provider.chat(request(format), attempt(provider, format));
  }

  private static List<ChatEvent> stream(Provider provider, Format format) {
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(provider.stream(request(format), attempt(provider, format)))
        .iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }

  private static ChatEvent.Failed failed(List<ChatEvent> events) {
    assertThat(events).last().isInstanceOf(ChatEvent.Failed.class);
    return (ChatEvent.Failed) events.get(events.size() - 1);
  }

  /** No message, {@code toString()}, code or request id in the exception's chain leaks. */
  private static void assertClean(Throwable e) {
    assertThat(e).isInstanceOf(GatewayException.class);
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertNoLeak("a message", String.valueOf(t.getMessage()));
      assertNoLeak("toString()", t.toString());
      if (t instanceof GatewayException g) {
        assertNoLeak("the code", String.valueOf(g.providerErrorCode()));
        assertNoLeak("the request id", String.valueOf(g.requestId()));
      }
    }
  }

  private static void assertNoLeak(String where, String text) {
    for (String leak : LEAKS) {
      assertThat(text).as(where).doesNotContain(leak);
    }
  }
}
