package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.EndpointNotFoundException;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ModerationRequest;
import dev.llmgateway.ModerationResult;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.ResponseTooLargeException;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.ModerationProvider;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI's moderation endpoint through {@link OpenAiProvider#moderation()} and the OpenAI mock on
 * a real socket: the request's shape, the answer read per input, each provider failure as its
 * typed exception whose message quotes neither an input nor the key, and moderation declared as a
 * capability of OpenAI only among the presets.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenAiModerationOverTheWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-abc12345SECRET6789wxyz";
  /** Personal data an input may carry: it must reach no message. */
  private static final String PRIVATE = "my SSN is 078-05-1120";

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private OpenAiMockServer server() {
    OpenAiMockServer server = OpenAiMockServer.start();
    closing.add(server);
    return server;
  }

  private ModerationProvider moderation(OpenAiMockServer server) {
    OpenAiProvider provider = OpenAiPresets.openAi().baseUrl(server.baseUrl()).apiKey(KEY).build();
    closing.add(provider);
    return provider.moderation();
  }

  @Test
  void moderatesEachInputAndReadsItsFlagsScoresAndTheModel() throws Exception {
    OpenAiMockServer server = server();
    server.replyModeration(1);
    ModerationResult result = moderation(server).moderate(ModerationRequest.of("hello there",
        PRIVATE, "a story " + OpenAiMockServer.flagMarker("violence")
            + OpenAiMockServer.flagMarker("self-harm/intent")));

    assertThat(result.model()).isEqualTo("omni-moderation-latest");
    assertThat(result.requestId()).startsWith("req_");
    assertThat(result.results()).extracting(ModerationResult.InputResult::flagged)
        .containsExactly(false, true, true);
    assertThat(result.results().get(1).flaggedCategories()).containsExactly("harassment");
    assertThat(result.results().get(2).flaggedCategories())
        .containsExactly("self-harm/intent", "violence");
    assertThat(result.results().get(2).score("violence")).isEqualTo(0.9731);
    assertThat(result.results().get(0).scores()).hasSize(13)
        .containsEntry("harassment/threatening", 0.0002);
    assertThat(result.results().get(2).categoriesScoringAtLeast(0.5))
        .containsExactly("self-harm/intent", "violence");
    assertThat(result.flagged()).isTrue();
    assertThat(result.flaggedCategories())
        .containsExactly("harassment", "self-harm/intent", "violence");
    assertThat(result.toString()).doesNotContain("078-05", "hello");

    MockRequest sent = server.takeRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.target()).isEqualTo("/v1/moderations");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = JSON.readTree(sent.body());
    assertThat(body.get("model").asText()).isEqualTo("omni-moderation-latest");
    assertThat(body.get("input")).hasSize(3);
    assertThat(body.get("input").get(1).asText()).isEqualTo(PRIVATE);
    assertThat(body.size()).isEqualTo(2);
  }

  @Test
  void sendsTheModelTheRequestOrTheBuilderNames() throws Exception {
    OpenAiMockServer server = server();
    server.replyModeration().replyModeration();
    OpenAiProvider provider = OpenAiPresets.openAi().baseUrl(server.baseUrl()).apiKey(KEY)
        .moderationModel("omni-moderation-2024-09-26").build();
    closing.add(provider);

    assertThat(provider.moderation().moderate(ModerationRequest.of("x")).model())
        .isEqualTo("omni-moderation-2024-09-26");
    assertThat(provider.moderation()
        .moderate(ModerationRequest.of("x").withModel("text-moderation-stable")).model())
        .isEqualTo("text-moderation-stable");
    assertThat(JSON.readTree(server.takeRequest().body()).get("model").asText())
        .isEqualTo("omni-moderation-2024-09-26");
    assertThat(JSON.readTree(server.takeRequest().body()).get("model").asText())
        .isEqualTo("text-moderation-stable");
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("429 with retry-after", (Scripter) s -> s.error(MockError.RATE_LIMITED),
            RateLimitedException.class),
        Arguments.of("quota", (Scripter) s -> s.error(MockError.QUOTA_EXHAUSTED),
            QuotaExhaustedException.class),
        Arguments.of("401", (Scripter) s -> s.error(MockError.AUTHENTICATION),
            AuthenticationException.class),
        Arguments.of("500", (Scripter) s -> s.error(MockError.SERVER_ERROR),
            ProviderUnavailableException.class),
        Arguments.of("503", (Scripter) s -> s.error(MockError.UNAVAILABLE),
            ProviderUnavailableException.class),
        Arguments.of("400 quoting the input", (Scripter) s -> s.error(MockError.QUOTES_PROMPT),
            InvalidRequestException.class),
        Arguments.of("cut before the headers",
            (Scripter) s -> s.fault(MockFault.DROP_BEFORE_HEADERS, List.of()),
            ProviderUnavailableException.class),
        Arguments.of("cut mid-body", (Scripter) s -> s.fault(MockFault.DROP_MID_STREAM, List.of()),
            ProviderUnavailableException.class),
        Arguments.of("body cut short",
            (Scripter) s -> s.fault(MockFault.TRUNCATED_STREAM, List.of()),
            ProviderUnavailableException.class),
        Arguments.of("malformed JSON", (Scripter) s -> s.fault(MockFault.MALFORMED_BODY, List.of()),
            ProviderUnavailableException.class),
        Arguments.of("not JSON", (Scripter) s -> s.fault(MockFault.MALFORMED_CHUNK, List.of()),
            ProviderUnavailableException.class),
        Arguments.of("empty body", (Scripter) s -> s.fault(MockFault.EMPTY_BODY, List.of()),
            ProviderUnavailableException.class),
        Arguments.of("a proxy's HTML page",
            (Scripter) s -> s.fault(MockFault.HTML_ERROR_PAGE, List.of()),
            ProviderUnavailableException.class),
        Arguments.of("an error object with status 200",
            (Scripter) s -> s.fault(MockFault.IN_BAND_ERROR, List.of()),
            ProviderUnavailableException.class),
        Arguments.of("1 GiB body", (Scripter) s -> s.fault(MockFault.OVERSIZED_BODY, List.of()),
            ResponseTooLargeException.class),
        Arguments.of("a chat answer scripted", (Scripter) s -> s.replyText("hi",
            dev.llmgateway.Usage.of(1, 1)), InvalidRequestException.class));
  }

  /** Scripts one answer. */
  @FunctionalInterface
  interface Scripter {
    void script(OpenAiMockServer server);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void failsAsTheProviderFailsWithTypedErrorsQuotingNoInput(String name, Scripter scripter,
      Class<? extends GatewayException> expected) {
    OpenAiMockServer server = server();
    scripter.script(server);
    ModerationProvider moderation = moderation(server);
    assertThatThrownBy(() -> moderation.moderate(ModerationRequest.of("fine", PRIVATE)))
        .isInstanceOf(expected)
        .satisfies(e -> {
          assertThat(messages(e)).doesNotContain("078-05-1120", "SECRET6789", "SSN");
          assertThat(((GatewayException) e).details().provider()).isEqualTo("openai");
          assertThat(((GatewayException) e).details().model())
              .isEqualTo("omni-moderation-latest");
        });
  }

  @Test
  void aRateLimitCarriesTheServersDelay() {
    OpenAiMockServer server = server();
    server.error(MockError.RATE_LIMITED).rateLimited(Duration.ofMillis(1500));
    ModerationProvider moderation = moderation(server);
    for (Duration expected : List.of(Duration.ofSeconds(2), Duration.ofMillis(1500))) {
      assertThatThrownBy(() -> moderation.moderate(ModerationRequest.of("x")))
          .isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(expected);
            assertThat(e.details().httpStatus()).isEqualTo(429);
          });
    }
  }

  @Test
  void aStallEndsAtTheRequestsTimeout() {
    OpenAiMockServer server = server();
    server.fault(MockFault.STALL_BEFORE_HEADERS, List.of());
    ModerationProvider moderation = moderation(server);
    long start = System.nanoTime();
    assertThatThrownBy(() -> moderation.moderate(
        ModerationRequest.of("x").withTimeout(Duration.ofMillis(300))))
        .isInstanceOf(GatewayTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  static Stream<Arguments> presetsWithoutModeration() {
    return Stream.of(
        Arguments.of("azure", (Supplier<OpenAiProvider.Builder>) () ->
            OpenAiPresets.azure("https://r.openai.azure.com", OpenAiPresets.AZURE_API_VERSION)),
        Arguments.of("azure", (Supplier<OpenAiProvider.Builder>) () ->
            OpenAiPresets.azureV1("https://r.openai.azure.com")),
        Arguments.of("groq", (Supplier<OpenAiProvider.Builder>) OpenAiPresets::groq),
        Arguments.of("mistral", (Supplier<OpenAiProvider.Builder>) OpenAiPresets::mistral),
        Arguments.of("openrouter", (Supplier<OpenAiProvider.Builder>) OpenAiPresets::openRouter),
        Arguments.of("deepseek", (Supplier<OpenAiProvider.Builder>) OpenAiPresets::deepSeek),
        Arguments.of("together", (Supplier<OpenAiProvider.Builder>) OpenAiPresets::together),
        Arguments.of("ollama", (Supplier<OpenAiProvider.Builder>) OpenAiPresets::ollama),
        Arguments.of("vllm", (Supplier<OpenAiProvider.Builder>) () ->
            OpenAiPresets.vllm("http://localhost:8000/v1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presetsWithoutModeration")
  void presetsOtherThanOpenAiDeclareNoModeration(String name,
      Supplier<OpenAiProvider.Builder> preset) {
    OpenAiProvider provider = preset.get().apiKey(KEY).build();
    closing.add(provider);
    assertThatThrownBy(provider::moderation)
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("provider '" + name + "' has no moderation API");

    OpenAiProvider declared = preset.get().apiKey(KEY).moderation(true).build();
    closing.add(declared);
    assertThat(declared.moderation()).isNotNull();
  }

  @Test
  void openAiDeclaresModerationAndAHostWithoutTheEndpointAnswers404() {
    OpenAiProvider openAi = OpenAiPresets.openAi().apiKey(KEY).build();
    closing.add(openAi);
    assertThat(openAi.moderation().toString())
        .isEqualTo("OpenAiProvider.moderation[provider=openai, model=omni-moderation-latest]");

    OpenAiMockServer azure = OpenAiMockServer.startAzure();
    closing.add(azure);
    OpenAiProvider declared = OpenAiPresets.azureV1(azure.baseUrl()).apiKey(KEY)
        .moderation(true).build();
    closing.add(declared);
    assertThatThrownBy(() -> declared.moderation().moderate(ModerationRequest.of(PRIVATE)))
        .isInstanceOf(EndpointNotFoundException.class)
        .satisfies(e -> assertThat(messages(e)).doesNotContain("078-05"));
    assertThat(azure.requestCount()).isEqualTo(1);
  }

  @Test
  void aRequestIsBoundedAndPrintsNoInput() {
    assertThat(ModerationRequest.of(PRIVATE, "b").toString())
        .isEqualTo("ModerationRequest[inputs=2, chars=22, timeout=PT30S]");
    assertThatThrownBy(() -> ModerationRequest.of(new String[ModerationRequest.MAX_INPUTS + 1]))
        .isInstanceOf(NullPointerException.class);
    List<String> many = java.util.Collections.nCopies(ModerationRequest.MAX_INPUTS + 1, "x");
    assertThatThrownBy(() -> ModerationRequest.of(many))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAX_INPUTS (256)");
    assertThatThrownBy(() -> ModerationRequest.of(
        PRIVATE + "x".repeat(ModerationRequest.MAX_INPUT_CHARS)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAX_INPUT_CHARS").hasMessageNotContaining("078");
    List<String> big = java.util.Collections.nCopies(5, "x".repeat(900_000));
    assertThatThrownBy(() -> ModerationRequest.of(big))
        .hasMessageContaining("MAX_TOTAL_CHARS");
    assertThatThrownBy(() -> ModerationRequest.of(List.of()))
        .hasMessageContaining("at least one input");
    assertThatThrownBy(() -> ModerationRequest.of("x").withTimeout(Duration.ZERO))
        .hasMessageContaining("timeout");
    assertThat(Set.of(ModerationRequest.of("x").withModel("m").model())).containsExactly("m");
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }
}
