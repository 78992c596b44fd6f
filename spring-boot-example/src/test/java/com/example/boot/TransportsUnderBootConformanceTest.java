package com.example.boot;

import dev.llmgateway.providers.HttpProviderBuilder;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.conformance.ProviderConformanceTest;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;
import org.junit.jupiter.api.Nested;

/**
 * The provider conformance suite — text, tools, images, JSON schema, embeddings, every error and
 * every wire fault, streamed and not, capability refusals and bounded reads — for each wire format,
 * on the class path Spring Boot's dependency management makes: the transports work with Boot's
 * Kotlin standard library, Jackson and SLF4J.
 */
class TransportsUnderBootConformanceTest {

  /** One transport: its builder pointed at the mock; the suite's providers are built from it. */
  abstract static class Transport<B extends HttpProviderBuilder<B>>
      extends ProviderConformanceTest {
    abstract B builder(ProviderMockServer server);

    abstract Provider build(B builder);

    @Override
    protected Provider provider(ProviderMockServer server) {
      return build(builder(server));
    }

    @Override
    protected Provider providerDeclaring(ProviderMockServer server, String model,
        ModelCapabilities capabilities) {
      return build(builder(server).capabilities(model, capabilities));
    }

    @Override
    protected Provider providerLimitedTo(ProviderMockServer server, Limits limits) {
      return build(builder(server).maxResponseBytes(limits.maxResponseBytes())
          .maxErrorBodyBytes(limits.maxErrorBodyBytes())
          .maxSseEventBytes(limits.maxSseEventBytes())
          .maxToolCalls(limits.maxToolCalls()));
    }
  }

  @Nested
  class OpenAi extends Transport<OpenAiProvider.Builder> {
    @Override
    protected ProviderMockServer startServer() {
      return OpenAiMockServer.start();
    }

    @Override
    OpenAiProvider.Builder builder(ProviderMockServer server) {
      return OpenAiPresets.openAi().baseUrl(server.baseUrl()).apiKey(API_KEY);
    }

    @Override
    Provider build(OpenAiProvider.Builder builder) {
      return builder.build();
    }
  }

  @Nested
  class Anthropic extends Transport<AnthropicProvider.Builder> {
    @Override
    protected ProviderMockServer startServer() {
      return AnthropicMockServer.start();
    }

    @Override
    AnthropicProvider.Builder builder(ProviderMockServer server) {
      return AnthropicProvider.builder().baseUrl(server.baseUrl()).apiKey(API_KEY);
    }

    @Override
    Provider build(AnthropicProvider.Builder builder) {
      return builder.build();
    }

    @Override
    protected boolean reportsReasoningTokens() {
      return false;
    }
  }

  @Nested
  class Gemini extends Transport<GeminiProvider.Builder> {
    @Override
    protected ProviderMockServer startServer() {
      return GeminiMockServer.start();
    }

    @Override
    GeminiProvider.Builder builder(ProviderMockServer server) {
      return GeminiProvider.builder().baseUrl(server.baseUrl()).apiKey(API_KEY);
    }

    @Override
    Provider build(GeminiProvider.Builder builder) {
      return builder.build();
    }

    @Override
    protected boolean streamsToolArgumentsInFragments() {
      return false;
    }

    @Override
    protected boolean reportsEmbeddingTokens() {
      return false;
    }

    @Override
    protected boolean reportsEmbeddingModel() {
      return false;
    }
  }
}
