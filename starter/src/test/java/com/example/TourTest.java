package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.Authenticator;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The README's tour, run as written against wire-level mocks of Anthropic's and OpenAI's APIs: the
 * providers of {@link Tour#providers()} differ only in their base URL and key.
 */
class TourTest {
  private static final Caller CALLER = Caller.apiKey("my-app-key-1");
  private static final Authenticator MY_API_KEYS = credential -> {
    if (credential.equals(CALLER)) {
      return Principal.builder().user("alice").team("support").build();
    }
    throw new AuthenticationException("unknown key");
  };

  @Test
  void theTourRunsAgainstTheWireMocks() {
    List<UsageRecord> billing = new CopyOnWriteArrayList<>();
    try (AnthropicMockServer claudeApi = AnthropicMockServer.start();
        OpenAiMockServer openAiApi = OpenAiMockServer.start()) {
      Provider anthropic =
          AnthropicProvider.builder().baseUrl(claudeApi.baseUrl()).apiKey("sk-ant-test").build();
      Provider openai =
          OpenAiPresets.openAi().baseUrl(openAiApi.baseUrl()).apiKey("sk-test").build();
      claudeApi.replyText("Printer on fire: evacuate.", Usage.of(40, 6));
      claudeApi.error(MockError.QUOTA_EXHAUSTED);      // fails over at once
      openAiApi.streamText(List.of("Restart ", "the ", "spooler."), Usage.of(30, 5));

      try (Gateway gateway = Tour.gateway(anthropic, openai, MY_API_KEYS, billing)) {
        ChatResponse answer = Tour.call(gateway, CALLER);
        String printed = printedBy(
            () -> Tour.stream(gateway, ChatRequest.of("smart", "The printer jams."), CALLER));

        assertEquals("Printer on fire: evacuate.", answer.text());
        assertEquals("anthropic/claude-sonnet-4-5", answer.deployment().toString());
        assertTrue(printed.startsWith("Restart the spooler.\n"), printed);
      }
      assertEquals(2, billing.size());
      assertEquals("openai/gpt-4.1", billing.get(1).deployment().toString());
    }
  }

  @Test
  void theInterceptorRoutesCodeAndLetsEmbeddingsThrough() {
    try (OpenAiMockServer openAiApi = OpenAiMockServer.start();
        Gateway gateway = Tour.withCodeRouting(
            OpenAiPresets.openAi().baseUrl(openAiApi.baseUrl()).apiKey("sk-test").build())) {
      openAiApi.replyText("Use a semicolon.", Usage.of(20, 4));
      openAiApi.replyEmbeddings(List.of(new float[] {0.5f, 0.25f}), 3);

      gateway.chat(ChatRequest.of("openai/gpt-4.1-mini", "Why?\n```int x = 1```"));
      gateway.embed(EmbeddingRequest.of("openai/text-embedding-3-small", "printer"));

      assertTrue(openAiApi.takeRequest().body().contains("\"model\":\"gpt-4.1\""));
      assertTrue(openAiApi.takeRequest().body().contains("\"model\":\"text-embedding-3-small\""));
    }
  }

  private static String printedBy(Runnable step) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      step.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
