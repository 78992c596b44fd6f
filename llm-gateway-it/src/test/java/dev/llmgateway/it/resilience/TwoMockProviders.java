package dev.llmgateway.it.resilience;

import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The resilience tests' fixture, registered with {@code @RegisterExtension}: two OpenAI wire-level
 * mock servers behind providers {@code a} and {@code b}, an alias {@code smart} over {@code
 * a/gpt-4.1} then {@code b/gpt-4.1}, and the gateways a test builds with {@link #build}; after
 * each test it closes them all.
 */
final class TwoMockProviders implements AfterEachCallback {
  final OpenAiMockServer a = OpenAiMockServer.start();
  final OpenAiMockServer b = OpenAiMockServer.start();
  private final List<Gateway> gateways = new ArrayList<>();

  /**
   * A builder with both providers and the alias, retries off (a test sets its own); {@code
   * clientOfA} may observe a's calls.
   */
  GatewayBuilder builder(@Nullable OkHttpClient clientOfA) {
    var providerA = OpenAiPresets.openAi().name("a").baseUrl(a.baseUrl()).apiKey("sk-a");
    if (clientOfA != null) {
      providerA.httpClient(clientOfA);
    }
    return Gateway.builder().retry(RetryPolicy.none())
        .provider(providerA.build())
        .provider(OpenAiPresets.openAi().name("b").baseUrl(b.baseUrl()).apiKey("sk-b").build())
        .alias("smart", Route.fallback("a/gpt-4.1", "b/gpt-4.1"));
  }

  /** Builds a gateway that is closed after the test. */
  Gateway build(GatewayBuilder builder) {
    Gateway gateway = builder.build();
    gateways.add(gateway);
    return gateway;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    gateways.forEach(Gateway::close);
    a.close();
    b.close();
  }
}
