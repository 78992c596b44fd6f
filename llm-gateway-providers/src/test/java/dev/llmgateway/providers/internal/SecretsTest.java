package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.providers.Credential;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;

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
