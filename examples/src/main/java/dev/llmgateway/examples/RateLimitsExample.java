package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeProvider;
import java.util.List;

/**
 * Rate limits: each team may make three calls a minute, each org may spend 50,000 tokens a minute
 * and each key may have four calls in flight; the deployment {@code openai/gpt-4.1} takes two
 * attempts a minute, so the {@code smart} alias fails over to Claude once it is full (the decision
 * trail names the limit). The team {@code support} of {@code acme} hits its limit and is refused
 * naming it, with when to retry; {@code globex}, on a bigger plan, gets its own limit from the
 * host application's configuration (a {@code LimitSource}); raising {@code acme}'s limit at run
 * time lets the next call through. Offline: the providers are fakes.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.RateLimitsExample}
 */
public final class RateLimitsExample {
  private RateLimitsExample() {}

  public static void main(String[] args) {
    FakeProvider openai = FakeProvider.builder().name("openai").build();
    FakeProvider anthropic = FakeProvider.builder().name("anthropic").build();
    openai.onAnyModel().alwaysReply(r -> "Answer from " + r.model());
    anthropic.onAnyModel().alwaysReply(r -> "Answer from " + r.model());

    // tag::limits[]
    RateLimits limits = RateLimits.builder()
        .limit(RateLimit.requestsPerMinute(3).perTeam())                       // "team-rpm"
        .limit(RateLimit.tokensPerMinute(50_000).perOrg())                     // "org-tpm"
        .limit(RateLimit.concurrent(4).perKey())                               // "key-concurrent"
        .limit(RateLimit.requestsPerMinute(2).forDeployment("openai/gpt-4.1")) // attempts there
        .source(principal -> "globex".equals(principal.orgId())                // per tenant
            ? List.of(RateLimit.requestsPerMinute(10).perTeam()) : List.of())  // replaces team-rpm
        .build();

    Gateway gateway = Gateway.builder()
        .provider(openai).provider(anthropic)
        .alias("smart", Route.fallback("openai/gpt-4.1", "anthropic/claude-sonnet-4-5"))
        .rateLimits(limits)
        .build();
    // end::limits[]

    try (gateway) {
      Principal acme = Principal.builder().org("acme").team("support").keyId("k-acme").build();
      Principal globex = Principal.builder().org("globex").team("support").keyId("k-globex")
          .build();
      for (int i = 1; i <= 4; i++) {
        call(gateway, "acme support #" + i, acme);
      }
      for (int i = 1; i <= 4; i++) {
        call(gateway, "globex support #" + i, globex);
      }

      limits.set(RateLimit.requestsPerMinute(5).perTeam()); // at run time: the next call sees it
      System.out.println("team-rpm raised to 5 per minute");
      call(gateway, "acme support #5", acme);
    }
  }

  private static void call(Gateway gateway, String who, Principal caller) {
    try {
      ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Summarise the ticket"), caller);
      System.out.println(who + " -> " + answer.text() + "\n    " + answer.routing().explain());
    } catch (RateLimitedException e) {
      System.out.println(who + " -> refused by '" + e.limit() + "'\n    " + e.getMessage());
    }
  }
}
