package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.route.Classifier;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeProvider;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Content-based routing, the headline use case: reasoning goes to Claude, code to a coding
 * model, classification to the cheapest model, and a cheap classifier model (called through the
 * gateway itself, and metered) decides what the keywords cannot. Prints, per request, the chosen
 * deployment, the rule that chose it, and the cost. Offline: the providers are fakes.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.ContentRoutingExample}
 */
public final class ContentRoutingExample {
  private ContentRoutingExample() {}

  public static void main(String[] args) {
    FakeProvider anthropic = FakeProvider.builder().name("anthropic").build();
    FakeProvider openai = FakeProvider.builder().name("openai").build();
    anthropic.onAnyModel().alwaysReply(r -> "A careful argument ...");
    openai.on("gpt-4.1").alwaysReply(r -> "def solve(): ...");
    openai.on("gpt-4.1-nano").alwaysReply(ContentRoutingExample::label);
    InMemoryUsageSink usage = new InMemoryUsageSink();

    // A cheap model labels what the keyword rules do not catch; its calls are metered too.
    Classifier classifier = Classifier.viaModel("openai/gpt-4.1-nano", "reasoning", "code",
        "classification");

    try (Gateway gateway = Gateway.builder()
        .provider(anthropic)
        .provider(openai)
        .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
        .alias("code", Route.to("openai/gpt-4.1"))
        .alias("cheap", Route.cheapest("openai/gpt-4.1-nano", "anthropic/claude-haiku-4-5"))
        .alias("auto", Route.rules()
            .when("reasoning", Condition.keywords("prove", "step by step", "why does"), "smart")
            .when("code", Condition.codeBlock().or(Condition.pattern("\\b(def|class|fn)\\b")),
                "code")
            .when("classification", Condition.keywords("classify", "label", "categor"), "cheap")
            .when("classifier says code", Condition.classifiedAs(classifier, "code"), "code")
            .when("classifier says reasoning", Condition.classifiedAs(classifier, "reasoning"),
                "smart")
            .otherwise("cheap"))
        .usageSink(usage)
        .build()) {

      for (String prompt : List.of(
          "Prove that the square root of 2 is irrational, step by step.",
          "Why is this slow?\n```java\nfor (int i = 0; i < n; i++) list.remove(0);\n```",
          "Classify this ticket as billing, bug or feature: 'I was charged twice.'",
          "Write me a function that merges two sorted lists.",
          "Is a hot dog a sandwich? Weigh both sides.",
          "Thanks, that helped!")) {
        ChatResponse answer = gateway.chat(ChatRequest.of("auto", prompt));
        System.out.printf("%-60s -> %-28s %s%n", shorten(prompt), answer.deployment(),
            cost(answer.cost()));
        System.out.println("   " + answer.routing().explain());
      }
      System.out.println("classifier calls metered: " + usage.records().stream()
          .filter(r -> r.tags().contains("classifier")).count());
    }
  }

  /** The fake classifier model: a few words decide the label. */
  private static String label(ChatRequest request) {
    String text = request.lastUserText().toLowerCase(Locale.ROOT);
    if (text.contains("function") || text.contains("script")) {
      return "code";
    }
    if (text.contains("weigh") || text.contains("argue")) {
      return "reasoning";
    }
    return "classification";
  }

  private static String shorten(String prompt) {
    String line = prompt.replace('\n', ' ');
    return line.length() <= 58 ? line : line.substring(0, 55) + "...";
  }

  private static String cost(BigDecimal cost) {
    return cost == null ? "cost unknown" : "$" + cost.stripTrailingZeros().toPlainString();
  }
}
