package dev.llmgateway.examples;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.Route;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.StreamIterator;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import java.util.List;

/**
 * The main demo, offline but over real sockets: the real OpenAI transport talks to two wire-level
 * mock servers, one speaking OpenAI's API and one Azure OpenAI's. An alias whose primary answers
 * 429 fails over to its secondary; a streamed call; the usage records — printing what the gateway
 * did for each call (route, attempts, tokens, latency, cost) and what went over the wire.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java}
 */
public final class QuickstartDemo {
  private QuickstartDemo() {}

  public static void main(String[] args) {
    try (OpenAiMockServer openAiApi = OpenAiMockServer.start();
        OpenAiMockServer azureApi = OpenAiMockServer.startAzure()) {
      // what the two "providers" will answer, in order
      openAiApi.error(MockError.RATE_LIMITED);
      azureApi.replyText("Printer on fire: evacuate, then call facilities.", new Usage(
          412, 11, 256, 0, 0, false));
      openAiApi.streamText(List.of("Routing ", "keeps ", "apps ", "up."), Usage.of(9, 6));

      InMemoryUsageSink usage = new InMemoryUsageSink();
      try (Gateway gateway = Gateway.builder()
          .provider(OpenAiPresets.openAi().baseUrl(openAiApi.baseUrl())
              .apiKey("sk-demo-not-a-real-key").build())
          .provider(OpenAiPresets.azure(azureApi.baseUrl(), OpenAiPresets.AZURE_API_VERSION)
              .apiKey("demo-azure-key").build())
          .alias("smart", Route.fallback("openai/gpt-4.1", "azure/gpt-4.1"))
          .usageSink(usage)
          .attemptTimeout(Duration.ofSeconds(10))
          .build()) {
        Principal alice = Principal.builder().org("acme").team("support").user("alice").build();

        System.out.println("== 1. unary call to alias 'smart' (OpenAI answers 429)");
        ChatResponse answer = gateway.chat(
            ChatRequest.of("smart", "Summarise this ticket: printer on fire."), alice);
        System.out.println("answer:   " + answer.text());
        describe(answer);

        System.out.println();
        System.out.println("== 2. streamed call to alias 'smart'");
        System.out.print("events:   ");
        try (StreamIterator<ChatEvent> events =
            gateway.stream(ChatRequest.of("smart", "Why route?"), alice).iterator()) {
          while (events.hasNext()) {
            ChatEvent event = events.next();
            if (event instanceof ChatEvent.TextDelta delta) {
              System.out.print("[" + delta.text() + "]");
            } else if (event instanceof ChatEvent.Completed done) {
              System.out.println();
              describe(done.response());
            } else if (event instanceof ChatEvent.Failed failed) {
              System.out.println();
              System.out.println("failed:   " + failed.error().getMessage());
            }
          }
        }

        System.out.println();
        System.out.println("== 3. usage records (one per call, for billing and quotas)");
        for (UsageRecord r : usage.records()) {
          System.out.printf("%s %-6s team=%s model=%s -> %s, %d in (%d cached) / %d out tokens,"
              + " %s, %s%n", r.callId(), r.kind(),
              r.principal() == null ? "-" : r.principal().teamId(), r.requestedModel(),
              r.deployment(), r.usage().inputTokens(), r.usage().cachedInputTokens(),
              r.usage().outputTokens(), r.outcome(),
              r.cost() == null ? "cost unknown" : "$" + r.cost().toPlainString());
        }

        System.out.println();
        System.out.println("== 4. what went over the wire");
        wire("openai", openAiApi);
        wire("azure ", azureApi);
      }
    }
  }

  static void describe(ChatResponse response) {
    System.out.println("served by " + response.deployment() + " (call " + response.callId()
        + ") in " + millis(response.latency())
        + (response.timeToFirstToken() == null ? ""
            : ", first token after " + millis(response.timeToFirstToken())));
    for (Attempt a : response.attempts()) {
      System.out.println("  attempt " + a.number() + ": " + a.deployment() + " " + a.outcome()
          + (a.httpStatus() == null ? "" : " HTTP " + a.httpStatus())
          + (a.errorType() == null ? "" : " " + a.errorType() + " - " + a.reason())
          + " in " + millis(a.latency()));
    }
    System.out.println("tokens:   " + response.usage().inputTokens() + " in ("
        + response.usage().cachedInputTokens() + " cached), " + response.usage().outputTokens()
        + " out" + (response.usage().estimated() ? " (estimated)" : ""));
    System.out.println("cost:     " + (response.cost() == null
        ? "unknown (no price table configured yet)" : "$" + response.cost().toPlainString()));
  }

  private static void wire(String name, OpenAiMockServer server) {
    for (int i = server.requestCount(); i > 0; i--) {
      MockRequest request = server.takeRequest();
      System.out.println(name + " <- " + request.method() + " " + request.target() + " ("
          + request.body().length() + " bytes of JSON)");
    }
  }

  private static String millis(Duration d) {
    return String.format("%.2f ms", d.toNanos() / 1e6);
  }
}
