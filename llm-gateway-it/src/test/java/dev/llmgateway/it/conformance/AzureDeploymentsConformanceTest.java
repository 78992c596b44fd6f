package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.conformance.ProviderConformanceTest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;

/**
 * The OpenAI transport as configured for Azure OpenAI's deployment URLs ({@code
 * /openai/deployments/{model}/...?api-version=}), against the Azure mock.
 */
class AzureDeploymentsConformanceTest extends ProviderConformanceTest {
  @Override
  protected ProviderMockServer startServer() {
    return OpenAiMockServer.startAzure();
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
    return OpenAiPresets.azure(server.baseUrl(), OpenAiPresets.AZURE_API_VERSION).apiKey(API_KEY);
  }
}
