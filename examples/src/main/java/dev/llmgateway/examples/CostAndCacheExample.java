package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Cost and cache: exact cost per call from the bundled price table (cached and reasoning tokens
 * included), the cheapest candidate first, a price of your own for a model the table lacks, and a
 * response cache whose hits cost nothing. The providers are wire-level mocks on local sockets, so
 * this runs offline.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.CostAndCacheExample}
 */
public final class CostAndCacheExample {
  private CostAndCacheExample() {}

  public static void main(String[] args) {
    InMemoryUsageSink records = new InMemoryUsageSink();
    try (OpenAiMockServer openAiServer = OpenAiMockServer.start();
        AnthropicMockServer anthropicServer = AnthropicMockServer.start();
        Gateway gateway = Gateway.builder()
            .provider(OpenAiPresets.openAi().baseUrl(openAiServer.baseUrl())
                .apiKey("sk-demo").build())
            .provider(AnthropicProvider.builder().baseUrl(anthropicServer.baseUrl())
                .apiKey("sk-ant-demo").build())
            // cheapest first by the bundled price table: gpt-4.1-mini, then claude-haiku-4-5
            .alias("cheap", Route.cheapest("anthropic/claude-haiku-4-5", "openai/gpt-4.1-mini"))
            // a fine-tuned model the table cannot know
            .price("openai/ft:gpt-4.1-mini:acme", Price.perMillion("0.80", "3.20"))
            .cache(ResponseCache.builder().maximumSize(1_000).ttl(Duration.ofMinutes(5)).build())
            .usageSink(records)
            .build()) {

      openAiServer.replyText("Paris.", dev.llmgateway.Usage.of(1_200, 3));
      ChatRequest question = ChatRequest.of("cheap", "What is the capital of France?");
      print("first ask", gateway.chat(question));
      print("same question again", gateway.chat(question));

      openAiServer.replyText("Bonjour!", new dev.llmgateway.Usage(20_000, 400, 16_000, 0, 0,
          128, false));
      print("cached prompt + reasoning", gateway.chat(
          ChatRequest.of("openai/gpt-4.1-mini", "Say hello in French.")));

      openAiServer.replyText("Done.", dev.llmgateway.Usage.of(1_000, 100));
      print("own price", gateway.chat(ChatRequest.of("openai/ft:gpt-4.1-mini:acme", "Go")));

      BigDecimal total = BigDecimal.ZERO;
      for (UsageRecord r : records.records()) {
        total = total.add(r.cost() == null ? BigDecimal.ZERO : r.cost());
      }
      System.out.println("billed: " + records.records().size() + " calls, $"
          + total.stripTrailingZeros().toPlainString());
    }
  }

  private static void print(String title, ChatResponse answer) {
    System.out.printf("%-26s -> %-26s %-6s tokens %s, cost $%s%s%n", title,
        answer.deployment(), answer.text(), answer.usage().inputTokens() + "/"
            + answer.usage().outputTokens(),
        answer.cost() == null ? "unknown" : answer.cost().stripTrailingZeros().toPlainString(),
        answer.cacheHit() ? " (cache hit)" : "");
    System.out.println("   " + answer.routing().explain());
  }
}
