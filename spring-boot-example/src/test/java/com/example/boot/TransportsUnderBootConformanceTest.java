package com.example.boot;

import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.conformance.ProviderConformanceTest;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;
import org.junit.jupiter.api.Nested;

/**
 * The provider conformance suite — text, tools, images, JSON schema, embeddings, every error and
 * every wire fault, streamed and not — for each wire format, on the class path Spring Boot's
 * dependency management makes: what the transports need from OkHttp, okio, Kotlin's standard
 * library and Jackson works at Boot's versions.
 */
class TransportsUnderBootConformanceTest {

  @Nested
  class OpenAi extends ProviderConformanceTest {
    @Override
    protected ProviderMockServer startServer() {
      return OpenAiMockServer.start();
    }

    @Override
    protected Provider provider(ProviderMockServer server) {
      return OpenAiPresets.openAi().baseUrl(server.baseUrl()).apiKey(API_KEY).build();
    }
  }

  @Nested
  class Anthropic extends ProviderConformanceTest {
    @Override
    protected ProviderMockServer startServer() {
      return AnthropicMockServer.start();
    }

    @Override
    protected Provider provider(ProviderMockServer server) {
      return AnthropicProvider.builder().baseUrl(server.baseUrl()).apiKey(API_KEY).build();
    }

    @Override
    protected boolean reportsReasoningTokens() {
      return false;
    }
  }

  @Nested
  class Gemini extends ProviderConformanceTest {
    @Override
    protected ProviderMockServer startServer() {
      return GeminiMockServer.start();
    }

    @Override
    protected Provider provider(ProviderMockServer server) {
      return GeminiProvider.builder().baseUrl(server.baseUrl()).apiKey(API_KEY).build();
    }

    @Override
    protected boolean streamsToolArgumentsInFragments() {
      return false;
    }

    @Override
    protected boolean reportsEmbeddingTokens() {
      return false;
    }
  }
}
