package dev.llmgateway.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.EndpointNotFoundException;
import dev.llmgateway.GatewayException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.providers.HttpProviderBuilder;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.conformance.ProviderConformanceTest;
import dev.llmgateway.testing.wire.ProviderMockServer;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite for a built-in transport: each subclass says how to configure its builder
 * against the mock server and how to build it; the plain, capability-declaring and size-limited
 * providers the suite asks for are made here, once; and what only the built-in builders can be
 * asked (a wrong base URL) is checked here.
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

  /**
   * Issue 24.4: a base URL that is wrong (here, with a segment too many) is a missing endpoint
   * naming the provider, the URL called without its query, and the base URL to check; never a
   * missing model, never the key. The mock answers an unknown path as its provider does.
   */
  @Test
  void aWrongBaseUrlIsAMissingEndpointNamingTheUrlCalled() {
    String base = server().baseUrl();
    String wrong = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
        + "/wrong-segment";
    try (Provider p = build(builder(server()).baseUrl(wrong))) {
      Throwable unary = catchThrowable(() -> p.chat(ChatRequest.of(model(), "Hi"),
          attempt(model())));
      assertNamesTheUrl(unary, p.name(), wrong);

      GatewayException streamed;
      try (StreamIterator<ChatEvent> events = ChatStream.of(
          p.stream(ChatRequest.of(model(), "Hi"), attempt(model()))).iterator()) {
        ChatEvent first = events.next();
        assertThat(first).isInstanceOf(ChatEvent.Failed.class);
        streamed = ((ChatEvent.Failed) first).error();
      }
      assertNamesTheUrl(streamed, p.name(), wrong);
    }
  }

  private void assertNamesTheUrl(Throwable e, String provider, String wrongBase) {
    assertThat(e).isInstanceOf(EndpointNotFoundException.class);
    String url = ((EndpointNotFoundException) e).url();
    assertThat(url).startsWith(wrongBase + "/").doesNotContain("?");
    assertThat(e.getMessage()).startsWith(provider + " has no endpoint at POST " + url + " ")
        .contains("check " + wrongBase).contains("status=404")
        .doesNotContain(apiKey()).doesNotContain("api-version=").doesNotContain("alt=sse");
    assertThat(((GatewayException) e).provider()).isEqualTo(provider);
  }
}
