package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.conformance.ProviderConformanceTest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;

/** The OpenAI transport as configured for Groq, against the OpenAI mock. */
class GroqConformanceTest extends ProviderConformanceTest {
  @Override
  protected ProviderMockServer startServer() {
    return OpenAiMockServer.start();
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

  private static OpenAiProvider.Builder builder(ProviderMockServer server) {
    return OpenAiPresets.groq().baseUrl(server.baseUrl()).apiKey(API_KEY);
  }
}
