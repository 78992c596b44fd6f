package dev.llmgateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 24.3: a hosted provider given no key reads its API's conventional environment variable, as
 * the official SDKs do; with none at all it fails at its builder's {@code build()} naming the
 * provider and the variable; {@code apiKey(null)} names the provider and the setting; local
 * presets need no key; the key read from the environment is redacted like any other. Every test
 * hands the builder its own environment: none reads the real one.
 */
@Timeout(30)
class KeysFromEnvironmentTest {
  private static final String KEY = "sk-env-SECRET-3f9b";
  /** An environment in which nothing is set. */
  private static final Function<String, String> EMPTY = name -> null;
  /** An environment that must not be read. */
  private static final Function<String, String> UNREAD = name -> {
    throw new AssertionError("the environment was read for " + name);
  };

  private final MockWebServer server = new MockWebServer();
  private final List<Provider> providers = new ArrayList<>();

  /**
   * A hosted builder, the provider's name, the variables it reads in order, and the header its
   * key is sent in.
   */
  record Hosted(String name, Supplier<HttpProviderBuilder<?>> builder, List<String> variables,
      String header, String prefix) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Hosted> hosted() {
    return Stream.of(
        new Hosted("openai", OpenAiPresets::openAi, List.of("OPENAI_API_KEY"), "Authorization",
            "Bearer "),
        new Hosted("anthropic", AnthropicProvider::builder, List.of("ANTHROPIC_API_KEY"),
            "x-api-key", ""),
        new Hosted("gemini", GeminiProvider::builder, List.of("GOOGLE_API_KEY", "GEMINI_API_KEY"),
            "x-goog-api-key", ""),
        new Hosted("azure", () -> OpenAiPresets.azure("https://r.openai.azure.com", "2024-10-21"),
            List.of("AZURE_OPENAI_API_KEY"), "api-key", ""),
        new Hosted("azure", () -> OpenAiPresets.azureV1("https://r.openai.azure.com"),
            List.of("AZURE_OPENAI_API_KEY"), "api-key", ""),
        new Hosted("groq", OpenAiPresets::groq, List.of("GROQ_API_KEY"), "Authorization",
            "Bearer "),
        new Hosted("mistral", OpenAiPresets::mistral, List.of("MISTRAL_API_KEY"), "Authorization",
            "Bearer "),
        new Hosted("openrouter", OpenAiPresets::openRouter, List.of("OPENROUTER_API_KEY"),
            "Authorization", "Bearer "),
        new Hosted("deepseek", OpenAiPresets::deepSeek, List.of("DEEPSEEK_API_KEY"),
            "Authorization", "Bearer "),
        new Hosted("together", OpenAiPresets::together, List.of("TOGETHER_API_KEY"),
            "Authorization", "Bearer "));
  }

  static Stream<Arguments> hostedByVariable() {
    return hosted().flatMap(h -> h.variables().stream().map(v -> Arguments.of(h, v)));
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

  private Provider keep(Provider provider) {
    providers.add(provider);
    return provider;
  }

  /** Points a hosted builder at the mock server, keeping its path shape (Azure's, Gemini's). */
  private HttpProviderBuilder<?> atServer(Hosted h) {
    HttpProviderBuilder<?> b = h.builder().get();
    String url = server.url(h.name().equals("gemini") ? "/v1beta" : "/v1").toString();
    return h.name().equals("azure") ? b : b.baseUrl(url);
  }

  private Provider build(HttpProviderBuilder<?> builder) {
    Provider built;
    if (builder instanceof OpenAiProvider.Builder openAi) {
      built = openAi.build();
    } else if (builder instanceof AnthropicProvider.Builder anthropic) {
      built = anthropic.build();
    } else {
      built = ((GeminiProvider.Builder) builder).build();
    }
    return keep(built);
  }

  /** Sends one chat and returns what the server received (any answer will do). */
  private RecordedRequest sent(Provider provider) throws InterruptedException {
    server.enqueue(new MockResponse.Builder().code(500).body("{}").build());
    catchThrowable(() -> provider.chat(ChatRequest.of("m", "hi"),
        AttemptContext.standalone(new Deployment(provider.name(), "m"))));
    return server.takeRequest();
  }

  @ParameterizedTest(name = "{0} from {1}")
  @MethodSource("hostedByVariable")
  void aHostedProviderWithoutAKeyReadsItsConventionalVariable(Hosted h, String variable)
      throws Exception {
    Provider provider = build(atServer(h).environment(Map.of(variable, KEY)::get));

    assertThat(provider.toString()).contains("Credential[environment " + variable + ", redacted]")
        .doesNotContain(KEY);
    if (!h.name().equals("azure")) { // Azure's endpoint is the preset's argument, not the mock
      assertThat(sent(provider).getHeaders().get(h.header())).isEqualTo(h.prefix() + KEY);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosted")
  void aHostedProviderWithNoKeyAtAllFailsAtBuildNamingTheProviderAndTheVariable(Hosted h) {
    HttpProviderBuilder<?> builder = h.builder().get().environment(EMPTY);

    assertThatThrownBy(() -> build(builder)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(h.name() + " needs an API key, but none was given")
        .hasMessageContaining(String.join(", ", h.variables()))
        .hasMessageContaining("apiKey(...)").hasMessageContaining("credential(Credential.NONE)");
  }

  @Test
  void theMessageForOneVariableSaysItIsNotSet() {
    assertThatThrownBy(() -> build(OpenAiPresets.openAi().environment(EMPTY)))
        .hasMessage("openai needs an API key, but none was given and the environment variable "
            + "OPENAI_API_KEY is not set: set it, or call apiKey(...) or credential(...) on the "
            + "provider's builder (credential(Credential.NONE) for an endpoint that takes no key)");
  }

  @Test
  void geminiReadsGoogleApiKeyFirstAsGooglesSdksDoAndWarnsWithoutTheKeys() throws Exception {
    String other = "AIza-other-SECRET-77aa";
    String[] log = new String[1];
    Provider[] provider = new Provider[1];
    log[0] = Stderr.of(() -> provider[0] = build(GeminiProvider.builder()
        .baseUrl(server.url("/v1beta").toString())
        .environment(Map.of("GOOGLE_API_KEY", KEY, "GEMINI_API_KEY", other)::get)));

    assertThat(sent(provider[0]).getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(log[0]).contains("gemini: GOOGLE_API_KEY and GEMINI_API_KEY are both set")
        .contains("using GOOGLE_API_KEY").doesNotContain(KEY).doesNotContain(other);
  }

  @Test
  void aBlankVariableIsUnsetAndAValueIsStripped() throws Exception {
    Provider provider = build(GeminiProvider.builder().baseUrl(server.url("/v1beta").toString())
        .environment(Map.of("GOOGLE_API_KEY", "  ", "GEMINI_API_KEY", KEY + "\r\n")::get));

    assertThat(provider.toString()).contains("GEMINI_API_KEY");
    assertThat(sent(provider).getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
  }

  @Test
  void aVariableHoldingWhatNoHeaderCanCarryFailsAtBuildWithoutQuotingIt() {
    assertThatThrownBy(() -> build(AnthropicProvider.builder()
        .environment(Map.of("ANTHROPIC_API_KEY", "sk-ant two\nlines-SECRET")::get)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("anthropic: the environment variable ANTHROPIC_API_KEY holds a "
            + "space, a line break")
        .hasMessageNotContaining("SECRET").hasMessageNotContaining("sk-ant");
  }

  @Test
  void anExplicitKeyOrCredentialWinsAndTheEnvironmentIsNotRead() throws Exception {
    Provider withKey = build(OpenAiPresets.openAi().baseUrl(server.url("/v1").toString())
        .apiKey(KEY).environment(UNREAD));
    Provider keyless = build(AnthropicProvider.builder().baseUrl(server.url("/").toString())
        .credential(Credential.NONE).environment(UNREAD));

    assertThat(sent(withKey).getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(sent(keyless).getHeaders().get("x-api-key")).isNull();
  }

  @Test
  void localPresetsNeedNoKeyAndReadNone() throws Exception {
    Provider ollama = build(OpenAiPresets.ollama().baseUrl(server.url("/v1").toString())
        .environment(UNREAD));
    Provider vllm = build(OpenAiPresets.vllm(server.url("/v1").toString()).environment(UNREAD));

    assertThat(sent(ollama).getHeaders().get("Authorization")).isNull();
    assertThat(sent(vllm).getHeaders().get("Authorization")).isNull();
    assertThat(ollama.toString()).contains("Credential[none]");
  }

  /** The regression of issue 24: {@code apiKey(System.getenv("UNSET"))} threw "NPE: secret". */
  @Test
  void aNullKeyNamesTheProviderAndTheSettingNeverNullPointerExceptionSecret() {
    assertThatThrownBy(() -> OpenAiPresets.openAi().apiKey(null))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("openai: apiKey(...): the API key is null (is its environment variable "
            + "unset?); leave apiKey(...) out to read OPENAI_API_KEY from the environment");
    assertThatThrownBy(() -> GeminiProvider.builder().name("gemini-eu").apiKey(null))
        .hasMessageStartingWith("gemini-eu: apiKey(...): the API key is null")
        .hasMessageEndingWith("to read GOOGLE_API_KEY or GEMINI_API_KEY from the environment");
    assertThatThrownBy(() -> OpenAiPresets.ollama().apiKey(null))
        .hasMessageStartingWith("ollama: apiKey(...): the API key is null")
        .hasMessageEndingWith("leave apiKey(...) out if the endpoint takes no key");
  }

  @Test
  void aBlankOrMultiLineKeyNamesTheProviderWithoutQuotingTheKey() {
    assertThatThrownBy(() -> AnthropicProvider.builder().apiKey(" "))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("anthropic: apiKey(...): the API key is blank");
    assertThatThrownBy(() -> AnthropicProvider.builder().apiKey(KEY + "\n"))
        .hasMessageStartingWith("anthropic: apiKey(...): the API key holds a space, a line break")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void theKeyReadFromTheEnvironmentIsRedactedInToStringAndErrors() throws Exception {
    Provider provider = build(OpenAiPresets.openAi().baseUrl(server.url("/v1").toString())
        .environment(Map.of("OPENAI_API_KEY", KEY)::get));
    server.enqueue(new MockResponse.Builder().code(401).addHeader("content-type",
        "application/json").body("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
        + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}").build());

    Throwable e = catchThrowable(() -> provider.chat(ChatRequest.of("m", "hi"),
        AttemptContext.standalone(new Deployment("openai", "m"))));

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.getMessage()).doesNotContain(KEY);
    assertThat(e.toString()).doesNotContain(KEY);
    assertThat(provider.toString()).doesNotContain(KEY).contains("OPENAI_API_KEY");
  }
}
