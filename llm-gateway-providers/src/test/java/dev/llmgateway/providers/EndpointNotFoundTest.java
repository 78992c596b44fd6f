package dev.llmgateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.EndpointNotFoundException;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 24.4: a 404 that is not the provider's model-not-found error is an {@link
 * EndpointNotFoundException} that names the provider, the URL called (never its query) and what
 * to check in the base URL; the provider's documented model-not-found errors stay {@link
 * ModelNotFoundException}. Over a real socket, in each wire format, unary and streamed.
 */
@Timeout(30)
class EndpointNotFoundTest {
  private static final String KEY = "sk-endpoint-SECRET-5e7a";
  private static final String HTML = "<!DOCTYPE html><html><head><title>Error 404 (Not Found)!!1"
      + "</title></head><body><p>The requested URL was not found on this server.</p></body></html>";

  private final MockWebServer server = new MockWebServer();
  private final List<Provider> providers = new ArrayList<>();

  /** A wire format, built on a base URL the way a developer might get it wrong. */
  enum Format {
    OPENAI("openai", "gpt-4.1", "/", "/chat/completions",
        "end in the API version, usually /v1",
        "{\"error\":{\"message\":\"Invalid URL (POST /chat/completions)\",\"type\":"
            + "\"invalid_request_error\",\"param\":null,\"code\":null}}",
        url -> OpenAiPresets.openAi().baseUrl(url).apiKey(KEY).build()),
    AZURE("azure", "gpt-4.1", "/", "/openai/deployments/gpt-4.1/chat/completions",
        "the resource's root",
        "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}",
        url -> OpenAiPresets.azure(url, "2024-10-21").apiKey(KEY).build()),
    ANTHROPIC("anthropic", "claude-sonnet-4-5", "/v1", "/v1/v1/messages",
        "without /v1",
        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not Found\"},"
            + "\"request_id\":\"req_011CEndpoint\"}",
        url -> AnthropicProvider.builder().baseUrl(url).apiKey(KEY).build()),
    GEMINI("gemini", "gemini-2.5-flash", "/", "/models/gemini-2.5-flash:generateContent",
        "ends in the API version",
        "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":"
            + "\"NOT_FOUND\"}}",
        url -> GeminiProvider.builder().baseUrl(url).apiKey(KEY).build());

    final String name;
    final String model;
    final String basePath;
    final String calledPath;
    final String hint;
    final String ownUnknownPathBody;
    final Function<String, Provider> build;

    Format(String name, String model, String basePath, String calledPath, String hint,
        String ownUnknownPathBody, Function<String, Provider> build) {
      this.name = name;
      this.model = model;
      this.basePath = basePath;
      this.calledPath = calledPath;
      this.hint = hint;
      this.ownUnknownPathBody = ownUnknownPathBody;
      this.build = build;
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

  private Provider provider(Format format) {
    Provider p = format.build.apply(server.url(format.basePath).toString());
    providers.add(p);
    return p;
  }

  private void serve(String body, String contentType) {
    server.enqueue(new MockResponse.Builder().code(404).addHeader("content-type", contentType)
        .body(body).build());
  }

  private static AttemptContext attempt(Format format) {
    return AttemptContext.standalone(new Deployment(format.name, format.model));
  }

  private GatewayException chatFails(Format format) {
    Provider p = provider(format);
    Throwable t = catchThrowable(() -> p.chat(ChatRequest.of(format.model, "hi"), attempt(format)));
    assertThat(t).isInstanceOf(GatewayException.class);
    return (GatewayException) t;
  }

  private GatewayException streamFails(Format format) {
    Provider p = provider(format);
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(p.stream(ChatRequest.of(format.model, "hi"), attempt(format)))
        .iterator()) {
      it.forEachRemaining(events::add);
    }
    assertThat(events).hasSize(1);
    return ((ChatEvent.Failed) events.get(0)).error();
  }

  private void assertNamesWhatToFix(GatewayException e, Format format) {
    assertNamesWhatToFix(e, format, format.calledPath);
  }

  /** Names the URL called (without its query), the base URL and the format's hint. */
  private void assertNamesWhatToFix(GatewayException e, Format format, String calledPath) {
    String called = server.url(calledPath).toString();
    assertThat(e).isExactlyInstanceOf(EndpointNotFoundException.class);
    assertThat(((EndpointNotFoundException) e).url()).isEqualTo(called);
    assertThat(e.getMessage())
        .startsWith(format.name + " has no endpoint at POST " + called + " (HTTP 404")
        .contains("check " + server.url(format.basePath))
        .contains(format.hint)
        .contains("provider=" + format.name).contains("status=404")
        .doesNotContain("api-version=").doesNotContain("alt=sse")
        .doesNotContain(KEY).doesNotContain("<html");
    assertThat(e.provider()).isEqualTo(format.name);
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.isRetriable()).isFalse();
  }

  /** The headline of issue 24: OpenAI's base URL without {@code /v1}. */
  @Test
  void anOpenAiBaseUrlWithoutV1IsAMissingEndpointNamingTheUrlAndTheFix() {
    serve(Format.OPENAI.ownUnknownPathBody, "application/json; charset=utf-8");
    GatewayException e = chatFails(Format.OPENAI);
    assertNamesWhatToFix(e, Format.OPENAI);
    assertThat(e.getMessage()).contains("(HTTP 404: Invalid URL)")
        .contains("e.g. https://api.openai.com/v1").contains("this one does not");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void theProvidersOwnAnswerForAnUnknownPathIsAMissingEndpoint(Format format) {
    serve(format.ownUnknownPathBody, "application/json");
    assertNamesWhatToFix(chatFails(format), format);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void anHtmlPageIsAMissingEndpointDescribedNotQuoted(Format format) {
    serve(HTML, "text/html; charset=UTF-8");
    GatewayException e = chatFails(format);
    assertNamesWhatToFix(e, format);
    assertThat(e.getMessage()).contains("a non-JSON body (text/html; charset=UTF-8, "
        + HTML.length() + " chars)").doesNotContain("requested URL");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void anEmpty404IsAMissingEndpoint(Format format) {
    serve("", "text/plain");
    GatewayException e = chatFails(format);
    assertNamesWhatToFix(e, format);
    assertThat(e.getMessage()).contains("(HTTP 404: an empty body)");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aProxysProblemJsonIsDescribedAsJson(Format format) {
    serve("{\"type\":\"about:blank\",\"title\":\"No route matched\",\"status\":404}",
        "application/problem+json");
    GatewayException e = chatFails(format);
    assertNamesWhatToFix(e, format);
    assertThat(e.getMessage())
        .contains("a JSON body that is not the provider's error format (application/problem+json")
        .doesNotContain("non-JSON").doesNotContain("No route matched");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aStreamToAMissingEndpointEndsWithTheSameTypedFailure(Format format) {
    serve(HTML, "text/html");
    GatewayException e = streamFails(format);
    assertNamesWhatToFix(e, format, format.calledPath.replace(":generateContent",
        ":streamGenerateContent"));
  }

  @Test
  void aBaseUrlThatEndsInAVersionIsAskedWhetherTheVersionIsDoubled() {
    Provider openAi = OpenAiPresets.openAi().baseUrl(server.url("/v1/v1").toString()).apiKey(KEY)
        .build();
    providers.add(openAi);
    serve(HTML, "text/html");
    Throwable t = catchThrowable(() -> openAi.chat(ChatRequest.of("gpt-4.1", "hi"),
        attempt(Format.OPENAI)));
    assertThat(t).isExactlyInstanceOf(EndpointNotFoundException.class)
        .hasMessageContaining("POST " + server.url("/v1/v1/chat/completions"))
        .hasMessageContaining("should end in the API version once");
  }

  @Test
  void theProvidersModelNotFoundStaysAMissingModel() {
    String[][] bodies = {
        {"OPENAI", "{\"error\":{\"message\":\"The model `gpt-4.1-turbo` does not exist or you do "
            + "not have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,"
            + "\"code\":\"model_not_found\"}}"},
        {"OPENAI", "{\"object\":\"error\",\"message\":\"The model `llama-9` does not exist.\","
            + "\"type\":\"NotFoundError\",\"param\":null,\"code\":404}"}, // vLLM
        {"OPENAI", "{\"error\":{\"message\":\"model \\\"llama9\\\" not found, try pulling it "
            + "first\",\"type\":\"not_found_error\",\"param\":null,\"code\":null}}"}, // Ollama
        {"AZURE", "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment "
            + "for this resource does not exist.\"}}"},
        {"ANTHROPIC", "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":"
            + "\"model: claude-sonnet-9-nope\"},\"request_id\":\"req_1\"}"},
        {"GEMINI", "{\"error\":{\"code\":404,\"message\":\"models/gemini-1.0-pro is not found for "
            + "API version v1beta, or is not supported for generateContent.\",\"status\":"
            + "\"NOT_FOUND\"}}"}};
    for (String[] b : bodies) {
      serve(b[1], "application/json");
      GatewayException e = chatFails(Format.valueOf(b[0]));
      assertThat(e).as(b[1]).isExactlyInstanceOf(ModelNotFoundException.class);
      assertThat(e.getMessage()).doesNotContain("has no endpoint");
    }
  }
}
