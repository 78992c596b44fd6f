package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetStatus;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.budget.HardLimitAction;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.policy.ContentPolicy;
import dev.llmgateway.core.policy.InjectionPolicy;
import dev.llmgateway.core.policy.PiiAction;
import dev.llmgateway.core.policy.PiiPolicy;
import dev.llmgateway.core.policy.Policies;
import dev.llmgateway.core.policy.PolicySet;
import dev.llmgateway.core.policy.RequestTransform;
import dev.llmgateway.core.policy.StructuredOutputCheck;
import dev.llmgateway.core.policy.content.ContentFilter;
import dev.llmgateway.core.policy.pii.PiiType;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.resilience.FailureAction;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Classifier;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.otel.GenAiTelemetry;
import dev.llmgateway.spi.Provider;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The README's Java blocks after the short tour (whose blocks are the starter project's code), each
 * a tagged region here: {@link ReadmeTest} checks that the README's blocks equal these regions and
 * runs them over fake providers named as the README names its providers.
 */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /** Where an application keeps its secrets. */
  interface SecretStore {
    byte[] bytes(String name);
  }

  /** The section "Resilience". */
  static Gateway resilience(Provider anthropic, Provider openai) {
    // tag::resilience[]
    Gateway gateway = Gateway.builder()
        .provider(anthropic).provider(openai)
        .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1")
            .hedge(HedgePolicy.atPercentile(0.95, Duration.ofMillis(500), Duration.ofSeconds(3)))
            .onContentFiltered("openai/gpt-4.1"))
        .retry(RetryPolicy.builder().maxAttempts(3)
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(5)).maxRetryAfter(Duration.ofSeconds(10))
            .build())
        .attemptTimeout(Duration.ofSeconds(3))     // unary: the whole answer; streams: the first token
        .idleTimeout(Duration.ofSeconds(20))       // streams: the longest gap between events
        .totalTimeout(Duration.ofSeconds(30))      // a request's own deadline may shorten it
        .onFailure(ContextLengthExceededException.class, FailureAction.FAIL_OVER) // to a larger window
        .deployment("openai/gpt-4.1", DeploymentPolicy.builder().retry(RetryPolicy.none()).build())
        .build();
    gateway.health();   // per deployment: CLOSED / OPEN / HALF_OPEN, cooldown, failure rate, p50/p90/p99
    // end::resilience[]
    return gateway;
  }

  /** The section "Routing, cost and cache": the gateway, and the answer to its call. */
  record Routed(Gateway gateway, ChatResponse answer) {}

  static Routed routing(Provider anthropic, Provider openai, Provider gemini) {
    // tag::routing[]
    Gateway gateway = Gateway.builder()
        .provider(anthropic).provider(openai).provider(gemini)
        .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1")
            .downgradeTo("cheap"))                          // budgets send calls here near a limit
        .alias("code", Route.lowestLatency("openai/gpt-4.1", "anthropic/claude-sonnet-4-5"))
        .alias("cheap", Route.cheapest("openai/gpt-4.1-nano", "gemini/gemini-2.5-flash-lite"))
        .alias("auto", Route.rules()
            .when("reasoning", Condition.keywords("prove", "step by step"), "smart")
            .when("code", Condition.codeBlock().or(Condition.toolsRequested()), "code")
            .when("long", Condition.inputTokensAbove(100_000), "gemini/gemini-2.5-pro")
            .when("asked", Condition.classifiedAs(Classifier.viaModel("cheap", "code", "chat"), "code"),
                "code")
            .otherwise("cheap"))
        .alias("assistant", Route.split(StickyKey.user(),
            Variant.of("control", 90, "smart"),
            Variant.of("gemini", 10, Route.to("gemini/gemini-2.5-pro"))))
        .price("openai/ft:gpt-4.1-mini:acme", Price.perMillion("0.80", "3.20"))
        .cache(ResponseCache.builder().maximumSize(10_000).ttl(Duration.ofMinutes(10)).build())
        .build();

    ChatResponse answer = gateway.chat(ChatRequest.of("auto", "Why is this slow?\n```java ..."));
    answer.routing().explain();  // alias auto → rule 'code' (last user message has a code block)
                                 //   → alias code → strategy lowest latency; plan [openai/gpt-4.1, ...]
    answer.cost();               // exact BigDecimal dollars, every attempt included; null if unpriced
    gateway.feedback(answer.callId(), 1.0);        // a thumbs-up for an A/B call
    gateway.variants("assistant");                 // per variant: calls, errors, p50/p95/p99, tokens,
                                                   // cost, mean score
    // end::routing[]
    return new Routed(gateway, answer);
  }

  /** The section "Budgets": the gateway, and where team support's budget stands. */
  record Budgeted(Gateway gateway, Budgets budgets, BudgetStatus support) {}

  static Budgeted budgets(Provider openai, Principal support) {
    // tag::budgets[]
    Budgets budgets = Budgets.builder()
        .budget(Budget.perId("team-monthly", Scope.TEAM, "100.00"))   // every team: $100 a month
        .budget(Budget.forId("support", Scope.TEAM, "support", "500.00")
            .softThreshold(0.9)                                       // downgrade from 90 % spent
            .atHardLimit(HardLimitAction.DOWNGRADE_ONLY))             // then only the cheap route
        .listener(event -> System.out.println(event))                 // 50, 80 and 100 %
        .build();
    Gateway gateway = Gateway.builder()
        .provider(openai)
        .alias("smart", Route.to("openai/gpt-4.1").downgradeTo("cheap"))
        .alias("cheap", Route.to("openai/gpt-4.1-mini"))
        .budgets(budgets)
        .build();

    gateway.chat(ChatRequest.of("smart", "Summarise this ticket"), support);
    BudgetStatus status = budgets.status("support", support);  // spent, reserved, remaining, period
    budgets.set(Budget.perId("team-monthly", Scope.TEAM, "150.00"));  // the next call sees it
    // end::budgets[]
    return new Budgeted(gateway, budgets, status);
  }

  /** The section "Input and output policies": the gateway and one answer. */
  record Guarded(Gateway gateway, ChatResponse answer) {}

  static Guarded policies(Provider openai) {
    // tag::policies[]
    PolicySet standard = PolicySet.builder()
        .pii(PiiPolicy.builder()                              // every kind becomes a placeholder,
            .action(PiiType.CREDIT_CARD, PiiAction.BLOCK)     // but a card refuses the call
            .build())
        .injection(InjectionPolicy.defaults())                // block likely prompt injections
        .content(ContentPolicy.builder()
            .filter(ContentFilter.builder().category("weapons", List.of("pipe bomb")).build())
            .build())
        .transform(RequestTransform.builder()
            .systemPrompt("You are Acme's assistant.", RequestTransform.Placement.PREPEND)
            .build())
        .structuredOutput(StructuredOutputCheck.RETRY_ONCE)   // JSON-schema answers checked
        .build();
    Gateway gateway = Gateway.builder()
        .provider(openai)
        .policies(Policies.builder()
            .defaults(standard)
            .team("research", standard.toBuilder().name("research").monitorOnly().build())
            .build())
        .build();

    ChatResponse answer = gateway.chat(ChatRequest.of("openai/gpt-4.1",
        "Write to jane.doe@example.com about her refund"));   // the provider sees <EMAIL_1>
    answer.policies();  // [PolicyVerdict[policy=pii, verdict=redacted, detail=EMAIL x1 placeholder]]
    // end::policies[]
    return new Guarded(gateway, answer);
  }

  /** The section "OpenTelemetry": a gateway reporting to the application's OpenTelemetry. */
  static Gateway openTelemetry(OpenTelemetry openTelemetry, Provider openai, Provider azure) {
    // tag::otel[]
    GenAiTelemetry telemetry = GenAiTelemetry.builder(openTelemetry)
        .teams(Set.of("search", "ads"))      // metric values allowed; others count as "other"
        .aliases(Set.of("smart"))
        .captureContent(false)               // prompts and answers: off by default
        .build();
    Gateway gateway = Gateway.builder().provider(openai).provider(azure)
        .alias("smart", Route.fallback("openai/gpt-4.1", "azure/gpt-4.1"))
        .listener(telemetry.listener())
        .build();
    // end::otel[]
    return gateway;
  }

  /** The section "No secrets or personal data": one key for every JVM of an application. */
  static GatewayBuilder sharedEndUserIdKey(SecretStore secrets) {
    return
      // tag::endUserIdKey[]
      Gateway.builder().endUserIdKey(secrets.bytes("llm-gateway/end-user-id-key")) // 32 bytes or more
      // end::endUserIdKey[]
      ;
  }
}
