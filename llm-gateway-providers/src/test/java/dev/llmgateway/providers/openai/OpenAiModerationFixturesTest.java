package dev.llmgateway.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ModerationRequest;
import dev.llmgateway.ModerationResult;
import dev.llmgateway.ProviderUnavailableException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The moderation answer OpenAI documents ({@code fixtures/openai/moderation-response.json}, after
 * https://platform.openai.com/docs/api-reference/moderations/object) read over a real socket, and
 * answers that are not one refused as the provider's failure without quoting them.
 */
@Timeout(30)
class OpenAiModerationFixturesTest {
  private static final String KEY = "sk-abc12FIXTURE-SECRET-wxyz";
  private final MockWebServer server = new MockWebServer();
  private OpenAiProvider openai;

  @BeforeEach
  void start() throws Exception {
    server.start();
    openai = OpenAiPresets.openAi().baseUrl(server.url("/v1").toString()).apiKey(KEY).build();
  }

  @AfterEach
  void stop() {
    openai.close();
    server.close();
  }

  private void serve(String body) {
    server.enqueue(new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json")
        .setHeader("x-request-id", "req_fixture").body(body).build());
  }

  @Test
  void readsTheDocumentedAnswer() throws Exception {
    serve(OpenAiFixturesTest.fixture("openai/moderation-response.json"));
    ModerationResult r = openai.moderation().moderate(ModerationRequest.of("a", "b"));
    assertThat(r.model()).isEqualTo("omni-moderation-2024-09-26");
    assertThat(r.requestId()).isEqualTo("req_fixture");
    assertThat(r.results().get(0).flagged()).isFalse();
    assertThat(r.results().get(0).flaggedCategories()).isEmpty();
    assertThat(r.results().get(1).flaggedCategories()).containsExactly("harassment",
        "harassment/threatening", "violence", "violence/graphic");
    assertThat(r.results().get(1).score("violence")).isEqualTo(0.9999992735124786);
    assertThat(r.results().get(1).scores()).hasSize(13);
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/moderations");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "one result for two inputs|{\"model\":\"m\",\"results\":[{\"flagged\":false}]}"
          + "|1 results for 2 inputs",
      "no results|{\"model\":\"m\"}|0 results for 2 inputs",
      "no flagged|{\"model\":\"m\",\"results\":[{\"flagged\":false},{\"categories\":{}}]}"
          + "|moderation result 1 has no 'flagged'",
      "a score past 1|{\"model\":\"m\",\"results\":[{\"flagged\":false},{\"flagged\":true,"
          + "\"category_scores\":{\"hate\":7.5}}]}|moderation result 1 has a score",
      "a negative score|{\"model\":\"m\",\"results\":[{\"flagged\":false,"
          + "\"category_scores\":{\"hate\":-1}},{\"flagged\":true}]}|moderation result 0 has a score",
      "a result that is not an object|{\"results\":[\"078-05-1120\",{\"flagged\":true}]}"
          + "|the moderation body is not valid JSON of the expected shape",
  })
  void refusesAnAnswerThatIsNotOneQuotingNothing(String name, String body, String message) {
    serve(body);
    assertThatThrownBy(() -> openai.moderation().moderate(ModerationRequest.of("a", "b")))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("7.5")
        .hasMessageNotContaining("078-05");
  }

  @Test
  void clampsAScoreARoundingErrorPastOneAndTakesTheRequestedModelWhenTheAnswerNamesNone() {
    serve("{\"results\":[{\"flagged\":true,\"categories\":{\"hate\":true},"
        + "\"category_scores\":{\"hate\":1.0000004,\"sexual\":-0.0000001}}]}");
    ModerationResult r = openai.moderation().moderate(ModerationRequest.of("a"));
    assertThat(r.results().get(0).score("hate")).isEqualTo(1.0);
    assertThat(r.results().get(0).score("sexual")).isEqualTo(0.0);
    assertThat(r.model()).isEqualTo("omni-moderation-latest");
  }
}
