package dev.llmgateway.examples;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import java.util.List;

/**
 * Resilience: a primary that fails (HTTP 500, then a stall past the attempt timeout) and a
 * secondary that serves; each answer prints the attempts that led to it. The providers are
 * wire-level mocks on local sockets, so this runs offline.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.ResilienceExample}
 */
public final class ResilienceExample {
  private ResilienceExample() {}

  public static void main(String[] args) {
    try (AnthropicMockServer primary = AnthropicMockServer.start();
        OpenAiMockServer secondary = OpenAiMockServer.start();
        Gateway gateway = Gateway.builder()
            .provider(AnthropicProvider.builder().baseUrl(primary.baseUrl())
                .apiKey("sk-ant-demo").build())
            .provider(OpenAiPresets.openAi().baseUrl(secondary.baseUrl())
                .apiKey("sk-demo").build())
            .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
            .retry(RetryPolicy.builder().maxAttempts(2)
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1)).build())
            .attemptTimeout(Duration.ofSeconds(1))
            .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(3).build())
            .build()) {

      primary.error(MockError.SERVER_ERROR).error(MockError.SERVER_ERROR);
      secondary.replyText("Served by the secondary after two 500s.", Usage.of(12, 9));
      print("1. primary answers 500 twice", gateway.chat(ChatRequest.of("smart", "Hello")));

      primary.fault(MockFault.STALL_BEFORE_HEADERS, List.of());
      secondary.streamText(List.of("Streamed ", "by the secondary."), Usage.of(12, 5));
      print("2. primary stalls past the 1 s attempt timeout",
          gateway.stream(ChatRequest.of("smart", "Hello")).collect());

      secondary.replyText("The primary's circuit is open: straight to the secondary.",
          Usage.of(12, 10));
      print("3. after three failures in a row", gateway.chat(ChatRequest.of("smart", "Hello")));

      System.out.println("health: " + gateway.health().values());
    }
  }

  private static void print(String title, ChatResponse answer) {
    System.out.println(title + " -> \"" + answer.text() + "\" (" + answer.latency().toMillis()
        + " ms)");
    for (Attempt a : answer.attempts()) {
      System.out.println("   " + (a.number() == 0 ? "-" : "#" + a.number()) + " "
          + a.deployment() + " " + a.kind() + " " + a.outcome()
          + (a.httpStatus() == null ? "" : " HTTP " + a.httpStatus())
          + (a.reason() == null ? "" : ": " + a.reason()));
    }
  }
}
