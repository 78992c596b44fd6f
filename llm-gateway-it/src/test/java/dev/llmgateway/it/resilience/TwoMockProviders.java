package dev.llmgateway.it.resilience;

import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.Route;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The resilience tests' fixture: two OpenAI wire-level mock servers behind providers {@code a}
 * and {@code b}, and an alias {@code smart} over {@code a/gpt-4.1} then {@code b/gpt-4.1}.
 */
final class TwoMockProviders implements AutoCloseable {
  final OpenAiMockServer a = OpenAiMockServer.start();
  final OpenAiMockServer b = OpenAiMockServer.start();

  /** A builder with both providers and the alias; {@code clientOfA} may observe a's calls. */
  GatewayBuilder builder(@Nullable OkHttpClient clientOfA) {
    var providerA = OpenAiPresets.openAi().name("a").baseUrl(a.baseUrl()).apiKey("sk-a");
    if (clientOfA != null) {
      providerA.httpClient(clientOfA);
    }
    return Gateway.builder()
        .provider(providerA.build())
        .provider(OpenAiPresets.openAi().name("b").baseUrl(b.baseUrl()).apiKey("sk-b").build())
        .alias("smart", Route.fallback("a/gpt-4.1", "b/gpt-4.1"));
  }

  @Override
  public void close() {
    a.close();
    b.close();
  }
}
