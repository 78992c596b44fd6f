package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;

/**
 * The OpenAI transport as configured for Azure OpenAI's deployment URLs ({@code
 * /openai/deployments/{model}/...?api-version=}), against the Azure mock.
 */
class AzureDeploymentsConformanceTest extends BuiltInTransportConformanceTest<OpenAiProvider.Builder> {
  @Override
  protected ProviderMockServer startServer() {
    return OpenAiMockServer.startAzure();
  }

  @Override
  OpenAiProvider.Builder builder(ProviderMockServer server) {
    return OpenAiPresets.azure(server.baseUrl(), OpenAiPresets.AZURE_API_VERSION).apiKey(API_KEY);
  }

  @Override
  Provider build(OpenAiProvider.Builder builder) {
    return builder.build();
  }
}
