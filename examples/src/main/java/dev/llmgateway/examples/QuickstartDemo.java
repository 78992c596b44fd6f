package dev.llmgateway.examples;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;
import java.time.Duration;
import java.util.List;

/**
 * The main demo, offline but over real sockets: the real Anthropic, OpenAI and Gemini transports
 * talk to wire-level mock servers speaking each provider's own API. One call per wire format: an
 * alias served by Anthropic, the same alias retrying and then failing over to OpenAI while
 * Anthropic answers 529, a streamed call to Gemini; then the usage records — printing what the
 * gateway did for each call ({@link ChatResponse#story()}: route, attempts, tokens, latency, cost;
 * each {@link UsageRecord} on one line) and what went over the wire.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java}
 */
public final class QuickstartDemo {
  private QuickstartDemo() {}

  public static void main(String[] args) {
    try (AnthropicMockServer anthropicApi = AnthropicMockServer.start();
        OpenAiMockServer openAiApi = OpenAiMockServer.start();
        GeminiMockServer geminiApi = GeminiMockServer.start()) {
      // what the three "providers" will answer, in order, naming the dated model that served it
      anthropicApi.servedModel("claude-sonnet-4-5-20250929");
      openAiApi.servedModel("gpt-4.1-2025-04-14");
      anthropicApi.replyText("Printer on fire: evacuate, then call facilities.",
          new Usage(1412, 11, 1024, 256, 0, false));
      anthropicApi.error(MockError.OVERLOADED).error(MockError.OVERLOADED)
          .error(MockError.OVERLOADED);
      openAiApi.replyText("Restart the spooler, then clear the queue.", Usage.of(96, 9));
      geminiApi.streamText(List.of("Routing ", "keeps ", "apps ", "up."), Usage.of(9, 6));

      InMemoryUsageSink usage = new InMemoryUsageSink();
      try (Gateway gateway = Gateway.builder()
          .provider(AnthropicProvider.builder().baseUrl(anthropicApi.baseUrl())
              .apiKey("sk-ant-demo-not-a-real-key").build())
          .provider(OpenAiPresets.openAi().baseUrl(openAiApi.baseUrl())
              .apiKey("sk-demo-not-a-real-key").build())
          .provider(GeminiProvider.builder().baseUrl(geminiApi.baseUrl())
              .apiKey("demo-gemini-key").build())
          .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
          .usageSink(usage)
          .attemptTimeout(Duration.ofSeconds(10))
          .build()) {
        Principal alice = Principal.builder().org("acme").team("support").user("alice").build();

        System.out.println("== 1. unary call to alias 'smart' (Anthropic Messages API)");
        ChatResponse first = gateway.chat(
            ChatRequest.of("smart", "Summarise this ticket: printer on fire."), alice);
        System.out.println("answer:   " + first.text());
        System.out.println(first.story());

        System.out.println();
        System.out.println("== 2. again; Anthropic answers 529 overloaded: two retries (the default),"
            + " then failover to OpenAI (Chat Completions API)");
        ChatResponse second = gateway.chat(
            ChatRequest.of("smart", "And the printer in room 2?"), alice);
        System.out.println("answer:   " + second.text());
        System.out.println(second.story());

        System.out.println();
        System.out.println("== 3. streamed call to gemini/gemini-2.5-flash (Gemini API)");
        System.out.print("events:   ");
        try (StreamIterator<ChatEvent> events = gateway.stream(
            ChatRequest.of("gemini/gemini-2.5-flash", "Why route?"), alice).iterator()) {
          while (events.hasNext()) {
            ChatEvent event = events.next();
            if (event instanceof ChatEvent.TextDelta delta) {
              System.out.print("[" + delta.text() + "]");
            } else if (event instanceof ChatEvent.Completed done) {
              System.out.println();
              System.out.println(done.response().story());
            } else if (event instanceof ChatEvent.Failed failed) {
              System.out.println();
              System.out.println("failed:   " + failed.error().getMessage());
            }
          }
        }

        System.out.println();
        System.out.println("== 4. usage records (one per call, for billing and quotas)");
        for (UsageRecord r : usage.records()) {
          System.out.println(r);
        }

        System.out.println();
        System.out.println("== 5. what went over the wire");
        wire("anthropic", anthropicApi);
        wire("openai   ", openAiApi);
        wire("gemini   ", geminiApi);
      }
    }
  }

  private static void wire(String name, ProviderMockServer server) {
    for (int i = server.requestCount(); i > 0; i--) {
      MockRequest request = server.takeRequest();
      System.out.println(name + " <- " + request.method() + " " + request.target() + " ("
          + request.body().length() + " bytes of JSON)");
    }
  }
}
