package dev.llmgateway.otel;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.ProviderIdentity;
import dev.llmgateway.testing.FakeProvider;
import java.util.concurrent.Flow;

/** A {@link FakeProvider} that says who it is, as the built-in transports do. */
final class NamedProvider implements Provider {
  final FakeProvider fake;
  private final ProviderIdentity identity;

  NamedProvider(String name, ProviderIdentity identity) {
    this.fake = FakeProvider.builder().name(name).build();
    this.identity = identity;
  }

  @Override
  public String name() {
    return fake.name();
  }

  @Override
  public ProviderIdentity identity() {
    return identity;
  }

  @Override
  public ModelCapabilities capabilities(String model) {
    return fake.capabilities(model);
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    return fake.chat(request, attempt);
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    return fake.stream(request, attempt);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, AttemptContext attempt) {
    return fake.embed(request, attempt);
  }

  @Override
  public void close() {
    fake.close();
  }
}
