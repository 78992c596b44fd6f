package dev.llmgateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.ProviderIdentity;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each transport and preset names its vendor as the OpenTelemetry GenAI conventions (1.41.0,
 * {@code gen_ai.provider.name}) do, whatever the instance is called, with its base URL's server.
 */
@Timeout(30)
class ProviderIdentityTest {

  static Stream<Arguments> presets() {
    return Stream.of(
        Arguments.of("OpenAI", (Supplier<Provider>) () -> OpenAiPresets.openAi().name("eu")
            .apiKey("k").build(), new ProviderIdentity("openai", "api.openai.com", 443)),
        Arguments.of("Azure OpenAI", (Supplier<Provider>) () -> OpenAiPresets.azure(
            "https://my-resource.openai.azure.com", "2024-10-21").apiKey("k").build(),
            new ProviderIdentity("azure.ai.openai", "my-resource.openai.azure.com", 443)),
        Arguments.of("Azure OpenAI v1", (Supplier<Provider>) () -> OpenAiPresets.azureV1(
            "https://my-resource.openai.azure.com").apiKey("k").build(),
            new ProviderIdentity("azure.ai.openai", "my-resource.openai.azure.com", 443)),
        Arguments.of("Groq", (Supplier<Provider>) () -> OpenAiPresets.groq().apiKey("k").build(),
            new ProviderIdentity("groq", "api.groq.com", 443)),
        Arguments.of("Mistral", (Supplier<Provider>) () -> OpenAiPresets.mistral().apiKey("k")
            .build(), new ProviderIdentity("mistral_ai", "api.mistral.ai", 443)),
        Arguments.of("DeepSeek", (Supplier<Provider>) () -> OpenAiPresets.deepSeek().apiKey("k")
            .build(), new ProviderIdentity("deepseek", "api.deepseek.com", 443)),
        Arguments.of("a local Ollama speaks OpenAI's API", (Supplier<Provider>) () ->
            OpenAiPresets.ollama().build(), new ProviderIdentity("openai", "localhost", 11434)),
        Arguments.of("Anthropic", (Supplier<Provider>) () -> AnthropicProvider.builder()
            .name("claude").apiKey("k").build(),
            new ProviderIdentity("anthropic", "api.anthropic.com", 443)),
        Arguments.of("Gemini", (Supplier<Provider>) () -> GeminiProvider.builder().apiKey("k")
            .build(), new ProviderIdentity("gcp.gemini", "generativelanguage.googleapis.com", 443)),
        Arguments.of("Gemini on Vertex AI", (Supplier<Provider>) () -> GeminiProvider.builder()
            .baseUrl("https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/"
                + "europe-west4/publishers/google").apiKey("k").build(),
            new ProviderIdentity("gcp.vertex_ai", "europe-west4-aiplatform.googleapis.com", 443)),
        Arguments.of("an OpenAI builder pointed at Groq's URL", (Supplier<Provider>) () ->
            OpenAiProvider.builder().name("mine").baseUrl("https://api.groq.com/openai/v1")
                .apiKey("k").build(), new ProviderIdentity("groq", "api.groq.com", 443)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void namesTheConventionsVendorAndTheServer(String what, Supplier<Provider> make,
      ProviderIdentity expected) {
    try (Provider provider = make.get()) {
      assertThat(provider.identity()).isEqualTo(expected).isSameAs(provider.identity());
    }
  }
}
