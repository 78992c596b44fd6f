package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;

/**
 * The Gemini transport against the Gemini mock. Gemini streams each function call whole and
 * reports no token counts for embeddings, which the suite is told.
 */
class GeminiConformanceTest extends BuiltInTransportConformanceTest<GeminiProvider.Builder> {
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
