package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;

/** The OpenAI transport as configured for OpenAI itself, against the OpenAI mock. */
class OpenAiConformanceTest extends BuiltInTransportConformanceTest<OpenAiProvider.Builder> {
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
