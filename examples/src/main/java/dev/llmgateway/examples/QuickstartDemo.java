package dev.llmgateway.examples;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.Principal;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.Route;
import dev.llmgateway.spi.StreamIterator;
import dev.llmgateway.testing.FakeProvider;
import java.time.Duration;

/**
 * The main demo: a gateway over two offline providers, an alias with a fallback route, a unary call
 * that fails over, a streamed call, and the usage records — printing what the gateway did for each
 * call (route, attempts, tokens, latency, cost).
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java}
 */
public final class QuickstartDemo {
  private QuickstartDemo() {}

  public static void main(String[] args) {
    // Two offline providers standing in for, say, Anthropic and OpenAI.
    FakeProvider claude = FakeProvider.builder().name("anthropic").build();
    FakeProvider gpt = FakeProvider.builder().name("openai").build();
    claude.on("claude-sonnet-4-5")
        .fail(new RateLimitedException("rate limit reached", Duration.ofSeconds(20),
            new ErrorDetails("anthropic", "claude-sonnet-4-5", 429, "rate_limit_error",
                "req_011CSHoEeqs5C35K2UUqR7Fy"), null))
        .stream("Routing ", "keeps ", "apps ", "up.");
    claude.onAnyModel().alwaysReply(r -> "Sure.");
    gpt.onAnyModel().alwaysReply(r -> "The gateway failed over to me after a 429.");

    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = Gateway.builder()
        .provider(claude)
        .provider(gpt)
        .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
        .usageSink(usage)
        .build()) {
      Principal alice = Principal.builder().org("acme").team("support").user("alice").build();

      System.out.println("== 1. unary call to alias 'smart' (primary answers 429)");
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
        System.out.printf("%s %-6s team=%s model=%s -> %s, %d in / %d out tokens, %s, %s%n",
            r.callId(), r.kind(), r.principal() == null ? "-" : r.principal().teamId(),
            r.requestedModel(), r.deployment(), r.usage().inputTokens(),
            r.usage().outputTokens(), r.outcome(),
            r.cost() == null ? "cost unknown" : "$" + r.cost().toPlainString());
      }
    } finally {
      claude.close();
      gpt.close();
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
    System.out.println("tokens:   " + response.usage().inputTokens() + " in, "
        + response.usage().outputTokens() + " out"
        + (response.usage().estimated() ? " (estimated)" : ""));
    System.out.println("cost:     " + (response.cost() == null
        ? "unknown (no price table configured yet)" : "$" + response.cost().toPlainString()));
  }

  private static String millis(Duration d) {
    return String.format("%.2f ms", d.toNanos() / 1e6);
  }
}
