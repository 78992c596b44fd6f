package dev.llmgateway.examples;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.access.AccessRule;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeProvider;
import java.util.Map;

/**
 * Access control for two teams: {@code support} may call only the {@code cheap} alias, with at
 * most 1,000 output tokens and no tools; {@code research} may call anything but Anthropic's
 * models, so its calls to {@code smart} skip Claude (the decision trail says which rule took it
 * out). A gateway-wide rule denies one model to everyone. Each team calls with its own API key
 * (a small authenticator of this example's own, mapping keys to principals); a service of the
 * host application calls with a {@link Principal} it authenticated itself. Refusals name the rule
 * and what to change, never the key. Offline: the providers are fakes.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.AccessExample}
 */
public final class AccessExample {
  private AccessExample() {}

  public static void main(String[] args) {
    FakeProvider openai = FakeProvider.builder().name("openai").build();
    FakeProvider anthropic = FakeProvider.builder().name("anthropic").build();
    openai.onAnyModel().alwaysReply(r -> "Answer from " + r.model());
    anthropic.onAnyModel().alwaysReply(r -> "Answer from " + r.model());

    // Keys as an authenticator would know them: id and principal, never printed.
    Map<String, Principal> keys = Map.of(
        "gw-example-support-key", Principal.builder().org("acme").team("support")
            .keyId("key-support-1").build(),
        "gw-example-research-key", Principal.builder().org("acme").team("research")
            .keyId("key-research-1").build());

    AccessPolicy policy = AccessPolicy.builder()
        .everyone(AccessRule.builder("no-o1-pro").denyModels("o1-pro*").build())
        .team("support", AccessRule.builder("support-cheap-only")
            .allowAliases("cheap").maxOutputTokens(1_000).features().build())
        .team("research", AccessRule.builder("research-no-anthropic")
            .denyProviders("anthropic").build())
        .org("acme", AccessRule.builder("acme").build())
        .build();

    try (Gateway gateway = Gateway.builder()
        .provider(openai)
        .provider(anthropic)
        .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
        .alias("cheap", Route.fallback("openai/gpt-4.1-mini"))
        .authenticator(credential -> {
          Principal p = credential instanceof Caller.ApiKey k ? keys.get(k.secret()) : null;
          if (p == null) {
            throw new AuthenticationException("unknown API key");
          }
          return p;
        })
        .access(policy)
        .build()) {

      Caller support = Caller.apiKey("gw-example-support-key");
      Caller research = Caller.apiKey("gw-example-research-key");
      Principal service = Principal.builder().org("acme").team("batch-jobs").build();

      call(gateway, "support", ChatRequest.of("cheap", "Reset my password"), support);
      call(gateway, "support", ChatRequest.of("smart", "Write a poem"), support);
      call(gateway, "support", ChatRequest.builder("cheap").user("Summarise this")
          .maxOutputTokens(4_000).build(), support);
      call(gateway, "research", ChatRequest.of("smart", "Compare two papers"), research);
      call(gateway, "research", ChatRequest.of("anthropic/claude-opus-4-1", "Hi"), research);
      call(gateway, "service", ChatRequest.of("smart", "Nightly digest"), service);
      call(gateway, "service", ChatRequest.of("openai/o1-pro", "Nightly digest"), service);
    }
  }

  private static void call(Gateway gateway, String who, ChatRequest request, Caller caller) {
    try {
      ChatResponse answer = gateway.chat(request, caller);
      System.out.println(who + " -> " + request.model() + ": " + answer.text() + "\n    "
          + answer.routing().explain());
    } catch (AccessDeniedException e) {
      System.out.println(who + " -> " + request.model() + ": refused by '" + e.rule() + "'\n    "
          + e.getMessage());
    }
  }
}
