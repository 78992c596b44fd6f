package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.conformance.ProviderConformanceTest;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;

/**
 * The Gemini transport against the Gemini mock. Gemini streams each function call whole and
 * reports no token counts for embeddings, which the suite is told.
 */
class GeminiConformanceTest extends ProviderConformanceTest {
  @Override
  protected ProviderMockServer startServer() {
    return GeminiMockServer.start();
  }

  @Override
  protected Provider provider(ProviderMockServer server) {
    return builder(server).build();
  }

  @Override
  protected Provider providerDeclaring(ProviderMockServer server, String model,
      ModelCapabilities capabilities) {
    return builder(server).capabilities(model, capabilities).build();
  }

  @Override
  protected Provider providerLimitedTo(ProviderMockServer server, Limits limits) {
    return ConformanceLimits.limited(builder(server), limits).build();
  }

  private static GeminiProvider.Builder builder(ProviderMockServer server) {
    return GeminiProvider.builder().baseUrl(server.baseUrl()).apiKey(API_KEY);
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
