package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;

/**
 * The OpenAI transport as configured for Mistral, against the OpenAI mock: the one preset that does
 * not ask for a usage chunk of its own, so streamed usage arrives on the finish chunk.
 */
class MistralConformanceTest extends BuiltInTransportConformanceTest<OpenAiProvider.Builder> {
  @Override
  protected ProviderMockServer startServer() {
    return OpenAiMockServer.start();
  }

  @Override
  OpenAiProvider.Builder builder(ProviderMockServer server) {
    return OpenAiPresets.mistral().baseUrl(server.baseUrl()).apiKey(API_KEY);
  }

  @Override
  Provider build(OpenAiProvider.Builder builder) {
    return builder.build();
  }
}
