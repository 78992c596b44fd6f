package com.example;

// tag::wire[]
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireMockTest {
  @Test
  void aRateLimitedStreamIsRetriedAfterItsRetryAfter() {
    try (OpenAiMockServer api = OpenAiMockServer.start();
        Gateway gateway = Gateway.builder()
            .provider(OpenAiPresets.openAi().baseUrl(api.baseUrl()).apiKey("sk-test").build())
            .retry(RetryPolicy.builder().maxAttempts(2).build())  // one retry, after Retry-After
            .build()) {
      api.rateLimited(Duration.ofMillis(200))                     // 429 + Retry-After
         .streamText(List.of("Hel", "lo"), Usage.of(5, 2));        // also stalls, drops, HTML 502s ...
      String text = gateway.stream(ChatRequest.of("openai/gpt-4.1", "Hi")).collect().text();
      assertEquals("Hello", text);
      MockRequest sent = api.takeRequest();                       // method, target, headers, JSON body
      assertEquals("/v1/chat/completions", sent.target());
    }
  }
}
// end::wire[]
