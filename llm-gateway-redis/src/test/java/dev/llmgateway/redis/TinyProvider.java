package dev.llmgateway.redis;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Provider;
import java.util.concurrent.Flow;
import java.util.function.ToLongFunction;

/**
 * The Redis tests' provider: answers every chat at once with "ok" and one input token, and as many
 * output tokens as {@code outputTokens} says for the request (the tests keep it within the
 * request's {@code maxOutputTokens}, so a call never costs more than its budget reserved). No
 * streams. Thread-safe when {@code outputTokens} is. (Core's own stub is a test class of core,
 * which this module cannot see.)
 */
final class TinyProvider implements Provider {
  private final String name;
  private final ToLongFunction<ChatRequest> outputTokens;

  TinyProvider(String name, ToLongFunction<ChatRequest> outputTokens) {
    this.name = name;
    this.outputTokens = outputTokens;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    return ChatResponse.builder().text("ok")
        .usage(Usage.of(1, outputTokens.applyAsLong(request))).build();
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    throw new UnsupportedCapabilityException("the Redis tests' provider does not stream");
  }
}
