package dev.llmgateway.core.internal.meter;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;

/** A provider named {@code p} that can do everything but answers streams only: metering tests. */
abstract class StreamsOnlyProvider implements Provider {

  @Override
  public String name() {
    return "p";
  }

  @Override
  public ModelCapabilities capabilities(String model) {
    return ModelCapabilities.CHAT_ALL;
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    throw new UnsupportedOperationException("streams only");
  }
}
