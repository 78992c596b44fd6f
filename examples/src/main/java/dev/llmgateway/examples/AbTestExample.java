package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.core.route.VariantStats;
import dev.llmgateway.testing.FakeProvider;

/**
 * An A/B test between two models: a 70/30 split sticky by user (the same user always gets the
 * same model while the weights stay), every response naming its variant, users' thumbs-up or down
 * attached afterwards with {@code feedback}, and per-variant figures read back. Offline: the
 * providers are fakes.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.AbTestExample}
 */
public final class AbTestExample {
  private AbTestExample() {}

  public static void main(String[] args) {
    FakeProvider openai = FakeProvider.builder().name("openai").build();
    FakeProvider anthropic = FakeProvider.builder().name("anthropic").build();
    openai.onAnyModel().alwaysReply(r -> "Answer from GPT-4.1");
    anthropic.onAnyModel().alwaysReply(r -> "Answer from Claude Sonnet 4.5");

    try (Gateway gateway = Gateway.builder()
        .provider(openai)
        .provider(anthropic)
        .alias("assistant", Route.split(StickyKey.user(),
            Variant.of("control", 70, "openai/gpt-4.1"),
            Variant.of("claude", 30, Route.fallback("anthropic/claude-sonnet-4-5",
                "openai/gpt-4.1"))))
        .build()) {

      for (int user = 1; user <= 200; user++) {
        Principal caller = Principal.builder().team("support").user("user-" + user).build();
        ChatResponse answer = gateway.chat(ChatRequest.of("assistant", "Help me reset my"
            + " password"), caller);
        if (user <= 3) {
          System.out.println("user-" + user + " -> variant " + answer.variant() + " ("
              + answer.deployment() + "), again: " + gateway.chat(
                  ChatRequest.of("assistant", "And my email?"), caller).variant());
        }
        // The user's thumbs-up (1) or down (0), arriving later, attached by call id.
        double thumbs = "claude".equals(answer.variant()) ? (user % 5 == 0 ? 0 : 1)
            : (user % 3 == 0 ? 0 : 1);
        gateway.feedback(answer.callId(), thumbs);
      }

      for (VariantStats v : gateway.variants("assistant")) {
        System.out.printf("%-8s calls=%d errors=%d p50=%s tokens=%d/%d cost=$%s score=%.2f"
            + " (%d scores)%n", v.variant(), v.calls(), v.errors(),
            v.latencyP50() == null ? "-" : v.latencyP50().toNanos() / 1000 + " µs",
            v.inputTokens(), v.outputTokens(), v.cost().stripTrailingZeros().toPlainString(),
            v.meanScore(), v.scores());
      }
    }
  }
}
