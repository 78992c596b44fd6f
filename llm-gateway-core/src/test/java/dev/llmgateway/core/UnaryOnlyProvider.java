package dev.llmgateway.core;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import java.util.concurrent.Flow;

/**
 * A provider for tests of unary calls: named, able to do everything, refusing streams; a test
 * writes only its {@link #chat}. {@link #answer} builds the answer it gives.
 */
public abstract class UnaryOnlyProvider implements Provider {
  private final String name;

  protected UnaryOnlyProvider(String name) {
    this.name = name;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public ModelCapabilities capabilities(String model) {
    return ModelCapabilities.CHAT_ALL;
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    throw new UnsupportedOperationException("unary calls only");
  }

  @Override
  public void close() {}

  /** An answer of {@code text} with {@code usage}, from this provider's deployment. */
  protected final ChatResponse answer(ChatRequest request, String text, Usage usage) {
    return ChatResponse.builder().text(text).usage(usage)
        .deployment(new Deployment(name, request.model())).build();
  }
}
