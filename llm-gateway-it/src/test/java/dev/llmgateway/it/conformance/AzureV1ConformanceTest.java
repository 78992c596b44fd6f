package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;

/** The OpenAI transport as configured for Azure OpenAI's v1 API, against the Azure mock. */
class AzureV1ConformanceTest extends BuiltInTransportConformanceTest<OpenAiProvider.Builder> {
  @Override
  protected ProviderMockServer startServer() {
    return OpenAiMockServer.startAzure();
  }

  @Override
  OpenAiProvider.Builder builder(ProviderMockServer server) {
    return OpenAiPresets.azureV1(server.baseUrl()).apiKey(API_KEY);
  }

  @Override
  Provider build(OpenAiProvider.Builder builder) {
    return builder.build();
  }
}
