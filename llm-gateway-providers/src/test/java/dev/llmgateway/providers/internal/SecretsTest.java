package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.providers.Credential;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The last pass over text from a provider, and the transports' configuration, print no secret. */
@Timeout(10)
class SecretsTest {
  private static final String SECRET = "sk-proj-SENTINEL-9f8e7d6c";

  @Test
  void scrubRemovesTheKeyAndKeyShapedText() {
    assertThat(Secrets.scrub("Incorrect API key provided: sk-abc12***************wxyz. "
        + "You can find your API key at https://platform.openai.com.", null))
        .doesNotContain("sk-abc12").contains("[redacted]");
    assertThat(Secrets.scrub("echo " + SECRET + " back", SECRET)).doesNotContain(SECRET);
    assertThat(Secrets.scrub("nothing secret here", SECRET)).isEqualTo("nothing secret here");
  }

  @Test
  void scrubRedactsDigitRunsEmailAddressesAndHighEntropyTokens() {
    String scrubbed = Secrets.scrub("ssn 123-45-6789, card 4111 1111 1111 1111 or "
        + "4111-1111-1111-1111, phone +1 (555) 010.4477 88, mail jane.doe+x@mail.example.co.uk, "
        + "key Zx8Qp2LmN4vR7tY1wK9sHb3D, token QWxhZGRpbjpvcGVuIHNlc2FtZQ==, HTTP 429", null);

    assertThat(scrubbed).isEqualTo("ssn [number], card [number] or [number], phone +1 (555) "
        + "[number], mail [email], key [token], token [token], HTTP 429");
  }

  @ParameterizedTest
  @ValueSource(strings = {"context_length_exceeded", "invalid_request_error",
      "unsupported_country_region_territory", "ResponsibleAIPolicyViolation", "API_KEY_INVALID",
      "RESOURCE_EXHAUSTED", "string_above_max_length", "DeploymentNotFound", "429",
      "gpt-4.1-mini", "logProviderErrorBodies", "The input exceeds the model's maximum context"})
  void identifiersAndWordsAreNotRedacted(String text) {
    assertThat(Secrets.scrub(text, null)).isEqualTo(text);
  }

  @Test
  void transportConfigurationNeverPrintsItsKey() {
    try (OpenAiProvider openai = OpenAiPresets.openAi().apiKey(SECRET).build();
        OpenAiProvider azure = OpenAiPresets.azure("https://r.openai.azure.com", "2024-10-21")
            .credential(Credential.from(() -> SECRET)).build()) {
      assertThat(openai.toString()).doesNotContain(SECRET);
      assertThat(azure.toString()).doesNotContain(SECRET);
      assertThat(Credential.of(SECRET).toString()).doesNotContain(SECRET);
    }
  }
}
