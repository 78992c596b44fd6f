package dev.llmgateway.core.internal.execute;

import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Provider;
import java.util.Map;
import java.util.Objects;

/** The end of each attempt's chain: hands the request to the deployment's provider. */
public final class TransportInterceptor implements Step {
  private final Map<String, Provider> providers;

  public TransportInterceptor(Map<String, Provider> providers) {
    this.providers = providers;
  }

  @Override
  public CallResult intercept(Chain chain) {
    AttemptContext attempt = Objects.requireNonNull(chain.attempt(), "attempt");
    Provider provider = providers.get(attempt.deployment().provider());
    switch (chain.call().kind()) {
      case CHAT:
        return provider.chat((ChatRequest) chain.request(), attempt);
      case STREAM:
        return ChatStream.of(provider.stream((ChatRequest) chain.request(), attempt));
      default:
        return provider.embed((EmbeddingRequest) chain.request(), attempt);
    }
  }
}
