package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.HttpProviderBuilder;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.conformance.ProviderConformanceTest;
import dev.llmgateway.testing.wire.ProviderMockServer;

/**
 * The conformance suite for a built-in transport: each subclass says how to configure its builder
 * against the mock server and how to build it; the plain, capability-declaring and size-limited
 * providers the suite asks for are made here, once.
 *
 * @param <B> the transport's builder
 */
abstract class BuiltInTransportConformanceTest<B extends HttpProviderBuilder<B>>
    extends ProviderConformanceTest {

  /** The transport's builder, pointed at {@code server}, with a test key. */
  abstract B builder(ProviderMockServer server);

  /** Builds the transport. */
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
    return build(ConformanceLimits.limited(builder(server), limits));
  }
}
