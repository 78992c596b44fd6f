package dev.llmgateway.it.resilience;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.util.List;

/**
 * One unary and one streamed call through a gateway, once per JVM: tests that measure waits of
 * 150 ms must not also measure the first call's class loading (hundreds of milliseconds on a busy
 * machine).
 */
final class Warmup {
  private static volatile boolean done;

  private Warmup() {}

  static synchronized void once() {
    if (done) {
      return;
    }
    try (OpenAiMockServer server = OpenAiMockServer.start();
        Gateway gateway = Gateway.builder().provider(OpenAiPresets.openAi().name("warm")
            .baseUrl(server.baseUrl()).apiKey("sk-warm").build()).build()) {
      server.replyText("warm", Usage.of(1, 1)).streamText(List.of("wa", "rm"), Usage.of(1, 1));
      gateway.chat(ChatRequest.of("gpt-4.1", "Hi"));
      gateway.stream(ChatRequest.of("gpt-4.1", "Hi")).collect();
    }
    done = true;
  }
}
