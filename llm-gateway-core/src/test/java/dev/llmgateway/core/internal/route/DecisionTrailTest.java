package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.spi.ModelCapabilities;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The decision trail tells why a call went where it went: for a rules → alias → split → strategy
 * chain, {@code routing().path()} lists every step, {@code plan()} the order of candidates, and
 * {@code skipped()} each candidate not tried with the reason, whether the capability filter or an
 * open circuit refused it; {@code explain()} says it in one line, and the usage record of the
 * call, streamed or failed, carries the same decision.
 */
@Timeout(30)
class DecisionTrailTest {
  private static final String SCHEMA = "{\"type\":\"object\"}";
  private static final Deployment NO_TOOLS = Deployment.parse("fake/notools");
  private static final Deployment FLAKY = Deployment.parse("fake/flaky");
  private static final String OPEN = "circuit open until ";
  private static final String AFTER_A_FAILURE =
      " after a failure (last: ProviderUnavailableException)";

  private final StubProvider fake = new StubProvider("fake").capabilities("notools",
      new ModelCapabilities(true, true, false, true, true, true, true, false, 0, 0));
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private @Nullable Gateway gateway;

  DecisionTrailTest() {
    fake.on("flaky").fail(new ProviderUnavailableException("flaky is down"));
    fake.replyToAll(r -> "answer from " + r.model());
  }

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    fake.close();
  }

  private GatewayBuilder builder() {
    return Gateway.builder().retry(RetryPolicy.none()).provider(fake).usageSink(usage)
        .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(1).build())
        .price("fake/notools", Price.perMillion("0.10", "0.10"))
        .price("fake/thrifty", Price.perMillion("1.00", "1.00"))
        .price("fake/pricey", Price.perMillion("10.00", "10.00"));
  }

  private static ChatRequest codeWithTools(String model) {
    return ChatRequest.builder(model).user("What does this do?\n```\nx++\n```")
        .tool(ToolDefinition.of("run", "runs code", SCHEMA)).build();
  }

  private UsageRecord recordOf(String callId) {
    return usage.records().stream().filter(r -> r.callId().equals(callId)).findFirst()
        .orElseThrow();
  }

  @Test
  void aRulesAliasSplitStrategyChainIsExplainedStepByStep() {
    gateway = builder()
        .alias("auto", Route.rules().when("code", Condition.codeBlock(), "exp")
            .otherwise("fake/cheap"))
        .alias("exp", Route.split(StickyKey.user(),
            Variant.of("fast", 50, Route.cheapest("fake/notools", "fake/pricey", "fake/thrifty")),
            Variant.of("safe", 50, Route.fallback("fake/notools", "fake/steady",
                "fake/backup"))))
        .build();
    Map<String, ChatResponse> byVariant = new LinkedHashMap<>();
    for (int u = 0; u < 64 && byVariant.size() < 2; u++) {
      ChatResponse answer = gateway.chat(codeWithTools("auto"), Principal.of("t", "user-" + u));
      byVariant.putIfAbsent(answer.variant(), answer);
    }

    assertThat(byVariant).containsOnlyKeys("fast", "safe");
    RoutingDecision fast = byVariant.get("fast").routing();
    assertThat(fast.path()).containsExactly("alias auto",
        "rule 'code' (last user message has a code block)", "alias exp", "variant fast",
        "strategy cheapest");
    assertThat(fast.plan()).extracting(Deployment::model).containsExactly("thrifty", "pricey");
    assertThat(fast.skipped()).containsExactly(
        new RoutingDecision.Skip(NO_TOOLS, "no tool calling"));
    assertThat(fast.explain()).isEqualTo("alias auto → rule 'code' (last user message has a"
        + " code block) → alias exp → variant fast → strategy cheapest;"
        + " plan [fake/thrifty, fake/pricey]; skipped fake/notools: no tool calling");
    assertThat(byVariant.get("safe").routing().explain()).isEqualTo("alias auto → rule 'code'"
        + " (last user message has a code block) → alias exp → variant safe → strategy ordered;"
        + " plan [fake/steady, fake/backup]; skipped fake/notools: no tool calling");
    for (ChatResponse answer : byVariant.values()) {
      assertThat(answer.deployment()).isEqualTo(answer.routing().plan().get(0));
      assertThat(recordOf(answer.callId()).routing()).isEqualTo(answer.routing());
    }
    assertThat(fake.calls("notools")).isEmpty();
  }

  @Test
  void aCandidateRefusedByItsBreakerIsSkippedWithTheBreakersReason() {
    gateway = builder().alias("smart", Route.fallback("fake/flaky", "fake/steady")).build();

    ChatResponse opening = gateway.chat(ChatRequest.of("smart", "Hi"));
    ChatResponse refused = gateway.chat(ChatRequest.of("smart", "Hi"));

    assertThat(opening.routing().skipped()).as("a failed attempt is no skip").isEmpty();
    assertThat(opening.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    RoutingDecision decision = refused.routing();
    assertThat(decision.plan()).extracting(Deployment::model).containsExactly("flaky", "steady");
    assertThat(decision.skipped()).singleElement().satisfies(skip -> {
      assertThat(skip.deployment()).isEqualTo(FLAKY);
      assertThat(skip.reason()).startsWith(OPEN).endsWith(AFTER_A_FAILURE);
    });
    assertThat(decision.explain()).startsWith("alias smart → strategy ordered;"
        + " plan [fake/flaky, fake/steady]; skipped fake/flaky: " + OPEN);
    assertThat(refused.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.SKIPPED, Attempt.Outcome.SUCCEEDED);
    assertThat(refused.attempts().get(0).reason()).isEqualTo(decision.skipped().get(0).reason());
    assertThat(recordOf(refused.callId()).routing()).isEqualTo(decision);
    assertThat(fake.calls("flaky")).hasSize(1);
  }

  @Test
  void capabilitySkipsComeBeforeBreakerSkipsInTheTrail() {
    gateway = builder()
        .alias("smart", Route.fallback("fake/notools", "fake/flaky", "fake/steady")).build();
    gateway.chat(codeWithTools("smart"));

    ChatResponse answer = gateway.chat(codeWithTools("smart"));

    assertThat(answer.routing().plan()).extracting(Deployment::model)
        .containsExactly("flaky", "steady");
    assertThat(answer.routing().skipped()).extracting(RoutingDecision.Skip::deployment)
        .containsExactly(NO_TOOLS, FLAKY);
    assertThat(answer.routing().skipped().get(0).reason()).isEqualTo("no tool calling");
    assertThat(answer.routing().skipped().get(1).reason()).startsWith(OPEN);
    assertThat(answer.routing().explain()).contains(
        "; skipped fake/notools: no tool calling; skipped fake/flaky: " + OPEN);
  }

  @Test
  void aStreamedCallAndAFailedCallCarryTheirDecisionToTheirRecords() {
    gateway = builder()
        .alias("smart", Route.fallback("fake/steady", "fake/backup"))
        .alias("doomed", Route.to("fake/flaky")).build();

    ChatResponse streamed = gateway.stream(ChatRequest.of("smart", "Hi")).collect();
    GatewayException failed = catchThrowableOfType(
        GatewayException.class, () -> gateway.chat(ChatRequest.of("doomed", "Hi")));
    GatewayException refused = catchThrowableOfType(
        GatewayException.class, () -> gateway.chat(ChatRequest.of("doomed", "Hi")));

    assertThat(streamed.routing().path()).containsExactly("alias smart", "strategy ordered");
    assertThat(recordOf(streamed.callId()).routing()).isEqualTo(streamed.routing());
    assertThat(failed).isNotNull();
    assertThat(refused).isNotNull();
    UsageRecord failedRecord = usage.records().get(1);
    UsageRecord refusedRecord = usage.records().get(2);
    assertThat(failedRecord.outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
    assertThat(failedRecord.routing().path()).containsExactly("alias doomed", "strategy ordered");
    assertThat(failedRecord.routing().plan()).containsExactly(FLAKY);
    assertThat(failedRecord.routing().skipped()).isEmpty();
    assertThat(refusedRecord.routing().skipped()).singleElement()
        .satisfies(skip -> assertThat(skip.reason()).startsWith(OPEN));
  }
}
