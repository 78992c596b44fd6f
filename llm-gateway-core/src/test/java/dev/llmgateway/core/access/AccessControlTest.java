package dev.llmgateway.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuditEvent;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.Message;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Downgrade;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The access step end to end over stub providers: each kind of rule, deny over allow, precedence
 * across org, team and key, output tokens, features, refusals that name the rule (and never the
 * credential), the usage record's refusal, audit events, and filtered candidates in the decision
 * trail — also on failover, a downgrade and a content-filter fallback.
 */
@Timeout(60)
class AccessControlTest {
  private static final String SECRET = "gw-live-3c1f9a8e7d6b5a4c3b2a19f8e7d6";

  private final StubProvider openai = new StubProvider("openai");
  private final StubProvider anthropic = new StubProvider("anthropic");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
  private final List<Gateway> gateways = new ArrayList<>();

  @AfterEach
  void close() {
    gateways.forEach(Gateway::close);
  }

  private GatewayBuilder builder(AccessPolicy policy) {
    return Gateway.builder().provider(openai).provider(anthropic).retry(RetryPolicy.none())
        .alias("smart", Route.fallback("openai/gpt-4.1", "anthropic/claude-sonnet"))
        .alias("cheap", Route.fallback("openai/gpt-4.1-mini"))
        .usageSink(usage).auditSink(audit::add).access(policy);
  }

  private Gateway gateway(AccessPolicy policy) {
    return build(builder(policy));
  }

  private Gateway build(GatewayBuilder builder) {
    Gateway g = builder.build();
    gateways.add(g);
    return g;
  }

  private static Principal team(String team) {
    return Principal.builder().org("acme").team(team).keyId("k-" + team).build();
  }

  private static AccessPolicy teamRule(String team, AccessRule rule) {
    return AccessPolicy.builder().team(team, rule).build();
  }

  private static AccessDeniedException denied(Runnable call) {
    return catchThrowableOfType(AccessDeniedException.class, call::run);
  }

  @Test
  void aDeniedAliasIsRefusedNamingTheRuleAndMeteredAsAnAccessRefusal() {
    Gateway g = gateway(teamRule("support",
        AccessRule.builder("support-aliases").denyAliases("smart*").build()));

    AccessDeniedException e = denied(() -> g.chat(ChatRequest.of("smart", "hi"),
        team("support")));

    assertThat(e.rule()).isEqualTo("support-aliases");
    assertThat(e.getMessage()).contains("access rule 'support-aliases'", "alias 'smart'",
        "smart*");
    assertThat(openai.calls()).isEmpty();
    UsageRecord record = usage.last();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertThat(record.refusal()).isEqualTo(UsageRecord.Refusal.ACCESS);
    assertThat(audit).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo(AuditEvent.Type.ACCESS_DENIED);
      assertThat(a.rule()).isEqualTo("support-aliases");
      assertThat(a.subject()).isEqualTo("smart");
      assertThat(a.callId()).isEqualTo(record.callId());
      assertThat(a.principal()).isEqualTo(team("support"));
    });
    assertThat(g.chat(ChatRequest.of("cheap", "hi"), team("support")).text()).isNotEmpty();
  }

  @Test
  void anAliasAllowListRefusesEveryOtherAlias() {
    Gateway g = gateway(teamRule("support",
        AccessRule.builder("only-cheap").allowAliases("chea*").build()));

    assertThat(g.chat(ChatRequest.of("cheap", "hi"), team("support")).text()).isNotEmpty();
    AccessDeniedException e = denied(() -> g.chat(ChatRequest.of("smart", "hi"),
        team("support")));
    assertThat(e.getMessage()).contains("does not allow alias 'smart'", "[chea*]");
  }

  @Test
  void aModelNamedDirectlyIsRefusedByModelRules() {
    Gateway g = gateway(teamRule("support",
        AccessRule.builder("no-big-models").denyModels("gpt-4.1", "claude-opus*").build()));

    assertThat(denied(() -> g.chat(ChatRequest.of("openai/gpt-4.1", "hi"), team("support")))
        .getMessage()).contains("denies model 'gpt-4.1'");
    assertThat(denied(() -> g.chat(ChatRequest.of("anthropic/claude-opus-4", "hi"),
        team("support"))).getMessage()).contains("'claude-opus*'");
    assertThat(g.chat(ChatRequest.of("openai/gpt-4.1-mini", "hi"), team("support")).text())
        .isNotEmpty();
    assertThat(openai.calls()).extracting(r -> r.model()).containsExactly("gpt-4.1-mini");
  }

  @Test
  void aDeniedProviderIsTakenOutOfThePlanAndShowsInTheDecisionTrail() {
    Gateway g = gateway(teamRule("research",
        AccessRule.builder("no-openai").denyProviders("openai").build()));

    ChatResponse answer = g.chat(ChatRequest.of("smart", "hi"), team("research"));

    assertThat(answer.deployment()).isEqualTo(Deployment.parse("anthropic/claude-sonnet"));
    assertThat(openai.calls()).isEmpty();
    RoutingDecision routing = answer.routing();
    assertThat(routing.plan()).containsExactly(Deployment.parse("anthropic/claude-sonnet"));
    assertThat(routing.skipped()).singleElement().satisfies(s -> {
      assertThat(s.deployment()).isEqualTo(Deployment.parse("openai/gpt-4.1"));
      assertThat(s.reason()).startsWith("denied by access rule 'no-openai'")
          .contains("provider 'openai'");
    });
    assertThat(audit).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo(AuditEvent.Type.DEPLOYMENT_DENIED);
      assertThat(a.subject()).isEqualTo("openai/gpt-4.1");
      assertThat(a.rule()).isEqualTo("no-openai");
    });
  }

  @Test
  void deploymentAndModelPatternsFilterTheCandidatesOfAnAlias() {
    Gateway byDeployment = gateway(teamRule("t",
        AccessRule.builder("only-anthropic").allowDeployments("anthropic/*").build()));
    assertThat(byDeployment.chat(ChatRequest.of("smart", "hi"), team("t")).deployment())
        .isEqualTo(Deployment.parse("anthropic/claude-sonnet"));

    Gateway byModel = gateway(teamRule("t",
        AccessRule.builder("no-gpt").denyModels("gpt-*").build()));
    ChatResponse answer = byModel.chat(ChatRequest.of("smart", "hi"), team("t"));
    assertThat(answer.deployment()).isEqualTo(Deployment.parse("anthropic/claude-sonnet"));
    assertThat(answer.routing().skipped()).extracting(RoutingDecision.Skip::reason)
        .singleElement().asString().contains("'no-gpt'", "deny pattern 'gpt-*'");
    assertThat(openai.calls()).isEmpty();
  }

  @Test
  void whenEveryCandidateIsDeniedTheCallIsRefusedNamingTheRule() {
    Gateway g = gateway(teamRule("t",
        AccessRule.builder("no-openai").denyProviders("openai").build()));

    AccessDeniedException e = denied(() -> g.chat(ChatRequest.of("cheap", "hi"), team("t")));

    assertThat(e.rule()).isEqualTo("no-openai");
    assertThat(e.getMessage()).contains("'cheap'", "openai/gpt-4.1-mini",
        "denied by access rule 'no-openai'");
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertThat(usage.last().refusal()).isEqualTo(UsageRecord.Refusal.ACCESS);
    assertThat(audit).extracting(AuditEvent::type).containsExactly(
        AuditEvent.Type.DEPLOYMENT_DENIED, AuditEvent.Type.ACCESS_DENIED);
    assertThat(denied(() -> g.chat(ChatRequest.of("openai/gpt-4o", "hi"), team("t"))).rule())
        .isEqualTo("no-openai");
    assertThat(openai.calls()).isEmpty();
  }

  @Test
  void denyWinsOverAllowInOneRuleAndAcrossRules() {
    Gateway oneRule = gateway(teamRule("t", AccessRule.builder("both")
        .allowProviders("*").denyProviders("openai").build()));
    assertThat(oneRule.chat(ChatRequest.of("smart", "hi"), team("t")).deployment().provider())
        .isEqualTo("anthropic");

    Gateway acrossRules = gateway(AccessPolicy.builder()
        .org("acme", AccessRule.builder("acme-deny").denyAliases("smart").build())
        .key("k-t", AccessRule.builder("key-allow").allowAliases("smart", "cheap").build())
        .build());
    assertThat(denied(() -> acrossRules.chat(ChatRequest.of("smart", "hi"), team("t"))).rule())
        .isEqualTo("acme-deny");
  }

  @Test
  void everyRuleThatNamesTheCallerMustPassSoATeamOrKeyOnlyNarrows() {
    AccessPolicy policy = AccessPolicy.builder()
        .everyone(AccessRule.builder("gateway-wide").denyModels("o1-pro*").build())
        .org("acme", AccessRule.builder("acme").allowAliases("smart", "cheap").build())
        .team("t", AccessRule.builder("team-t").allowAliases("smart", "cheap", "other").build())
        .key("k-t", AccessRule.builder("key-t").allowAliases("cheap").build())
        .build();
    Gateway g = gateway(policy);

    assertThat(g.chat(ChatRequest.of("cheap", "hi"), team("t")).text()).isNotEmpty();
    assertThat(denied(() -> g.chat(ChatRequest.of("smart", "hi"), team("t"))).rule())
        .isEqualTo("key-t");
    Principal otherKey = Principal.builder().org("acme").team("t").keyId("k-2").build();
    assertThat(g.chat(ChatRequest.of("smart", "hi"), otherKey).text()).isNotEmpty();
    assertThat(denied(() -> g.chat(ChatRequest.of("openai/o1-pro", "hi"), otherKey)).rule())
        .isEqualTo("gateway-wide");
  }

  @Test
  void aCallerNoRuleNamesIsRefusedByDefaultAndAllowedWhenConfigured() {
    AccessRule rule = AccessRule.builder("team-t").build();
    Gateway strict = gateway(AccessPolicy.builder().team("t", rule).build());
    AccessDeniedException e = denied(() -> strict.chat(ChatRequest.of("cheap", "hi"),
        Principal.of("someone-else", "u-1")));
    assertThat(e.rule()).isEqualTo(AccessPolicy.UNNAMED_CALLERS);
    assertThat(e.getMessage()).contains("team 'someone-else'", "unnamedCallers(ALLOW)");
    assertThatThrownBy(() -> strict.chat(ChatRequest.of("cheap", "hi")))
        .isInstanceOf(AccessDeniedException.class);

    Gateway open = gateway(AccessPolicy.builder().team("t", rule)
        .everyone(AccessRule.builder("no-smart").denyAliases("smart").build())
        .unnamedCallers(AccessPolicy.Unnamed.ALLOW).build());
    assertThat(open.chat(ChatRequest.of("cheap", "hi")).text()).isNotEmpty();
    assertThat(denied(() -> open.chat(ChatRequest.of("smart", "hi"))).rule())
        .isEqualTo("no-smart");
  }

  @Test
  void maxOutputTokensRefusesALargerAskAndCapsARequestThatAsksNone() {
    Gateway g = gateway(AccessPolicy.builder()
        .org("acme", AccessRule.builder("acme").maxOutputTokens(4_000).build())
        .team("t", AccessRule.builder("team-t").maxOutputTokens(1_000).build()).build());

    AccessDeniedException e = denied(() -> g.chat(ChatRequest.builder("cheap").user("hi")
        .maxOutputTokens(2_000).build(), team("t")));
    assertThat(e.rule()).isEqualTo("team-t");
    assertThat(e.getMessage()).contains("2000", "at most 1000");

    g.chat(ChatRequest.builder("cheap").user("hi").maxOutputTokens(500).build(), team("t"));
    g.chat(ChatRequest.of("cheap", "hi"), team("t"));
    assertThat(openai.calls()).extracting(r -> ((ChatRequest) r).maxOutputTokens())
        .containsExactly(500, 1_000);
  }

  @Test
  void withheldFeaturesAreRefusedAndAllowedOnesPass() {
    Gateway g = gateway(teamRule("t", AccessRule.builder("text-and-tools")
        .features(AccessRule.Feature.TOOLS).build()));
    ChatRequest tools = ChatRequest.builder("cheap").user("weather?")
        .tool(ToolDefinition.of("weather", "the weather", "{\"type\":\"object\"}")).build();
    ChatRequest image = ChatRequest.builder("cheap").message(Message.user(
        ContentPart.text("what is this?"), ContentPart.imageUrl("https://example.com/a.png")))
        .build();
    ChatRequest document = ChatRequest.builder("cheap").message(Message.user(
        ContentPart.text("sum up"), ContentPart.document(new byte[] {1, 2}, "application/pdf")))
        .build();

    assertThat(g.chat(tools, team("t")).text()).isNotEmpty();
    assertThat(denied(() -> g.chat(image, team("t"))).getMessage())
        .contains("'text-and-tools' does not allow image input");
    assertThat(denied(() -> g.chat(document, team("t"))).getMessage())
        .contains("does not allow document input");

    Gateway plain = gateway(teamRule("t", AccessRule.builder("plain").features().build()));
    assertThat(denied(() -> plain.chat(tools, team("t"))).getMessage())
        .contains("does not allow tools");
  }

  @Test
  void aRefusalNamesTheRuleButNeverTheCredential() {
    Gateway g = build(builder(teamRule("support",
        AccessRule.builder("support").denyAliases("smart").denyProviders("anthropic").build()))
        .authenticator(c -> c instanceof Caller.ApiKey k && k.secret().equals(SECRET)
            ? team("support") : null));

    AccessDeniedException alias = denied(() -> g.chat(ChatRequest.of("smart", "hi"),
        Caller.apiKey(SECRET)));
    AccessDeniedException all = denied(() -> g.chat(ChatRequest.of("anthropic/claude", "hi"),
        Caller.apiKey(SECRET)));

    for (AccessDeniedException e : List.of(alias, all)) {
      assertThat(e.getMessage()).contains("'support'").doesNotContain(SECRET);
      assertThat(e.toString()).doesNotContain(SECRET);
    }
    assertThat(audit).isNotEmpty().allSatisfy(a -> assertThat(a.toString())
        .doesNotContain(SECRET));
    assertThat(usage.records()).allSatisfy(r -> assertThat(r.toString())
        .doesNotContain(SECRET));
  }

  @Test
  void failoverNeverReachesADeniedCandidate() {
    Gateway g = gateway(teamRule("t",
        AccessRule.builder("no-anthropic").denyProviders("anthropic").build()));
    openai.on("gpt-4.1").fail(new ProviderUnavailableException("down", ErrorDetails.NONE,
        null));

    assertThatThrownBy(() -> g.chat(ChatRequest.of("smart", "hi"), team("t")))
        .isInstanceOf(ProviderUnavailableException.class);

    assertThat(anthropic.calls()).isEmpty();
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
  }

  @Test
  void aDowngradeToADeniedRouteIsFilteredToo() {
    Interceptor downgrade = chain -> {
      chain.call().tag(Downgrade.class, new Downgrade("budget at 95%"));
      return chain.proceed(chain.request());
    };
    Gateway g = build(Gateway.builder().provider(openai).provider(anthropic)
        .retry(RetryPolicy.none()).usageSink(usage).auditSink(audit::add)
        .alias("smart", Route.fallback("openai/gpt-4.1").downgradeTo("budget"))
        .alias("budget", Route.fallback("anthropic/claude-haiku", "openai/gpt-4.1-mini"))
        .interceptor(dev.llmgateway.core.InterceptorPosition.BEFORE_ROUTING, downgrade)
        .access(teamRule("t", AccessRule.builder("no-anthropic")
            .denyProviders("anthropic").build())));

    ChatResponse answer = g.chat(ChatRequest.of("smart", "hi"), team("t"));

    assertThat(answer.routing().downgraded()).isTrue();
    assertThat(answer.deployment()).isEqualTo(Deployment.parse("openai/gpt-4.1-mini"));
    assertThat(answer.routing().skipped()).extracting(RoutingDecision.Skip::deployment)
        .containsExactly(Deployment.parse("anthropic/claude-haiku"));
    assertThat(anthropic.calls()).isEmpty();
  }

  @Test
  void aDeniedContentFilterFallbackIsNotReached() {
    Gateway g = build(Gateway.builder().provider(openai).provider(anthropic)
        .retry(RetryPolicy.none()).usageSink(usage).auditSink(audit::add)
        .alias("safe", Route.fallback("openai/gpt-4.1")
            .onContentFiltered("anthropic/claude-sonnet"))
        .access(teamRule("t", AccessRule.builder("no-anthropic")
            .denyProviders("anthropic").build())));
    openai.on("gpt-4.1").fail(new ContentFilteredException("filtered", ErrorDetails.NONE,
        null));

    assertThatThrownBy(() -> g.chat(ChatRequest.of("safe", "hi"), team("t")))
        .isInstanceOf(ContentFilteredException.class);

    assertThat(anthropic.calls()).isEmpty();
    assertThat(audit).extracting(AuditEvent::subject).containsExactly("anthropic/claude-sonnet");
  }

  @Test
  void aStreamIsFilteredAndRefusedLikeAUnaryCall() {
    Gateway g = gateway(teamRule("t", AccessRule.builder("no-openai")
        .denyProviders("openai").build()));

    ChatResponse answer = g.stream(ChatRequest.of("smart", "hi"), team("t")).collect();

    assertThat(answer.routing().skipped()).extracting(RoutingDecision.Skip::reason)
        .singleElement().asString().startsWith("denied by access rule 'no-openai'");
    assertThat(openai.calls()).isEmpty();
    assertThat(anthropic.calls()).hasSize(1);
    assertThatThrownBy(() -> g.stream(ChatRequest.of("cheap", "hi"), team("t")).collect())
        .isInstanceOf(AccessDeniedException.class);
    assertThat(usage.last().refusal()).isEqualTo(UsageRecord.Refusal.ACCESS);
  }

  @Test
  void aSharedCacheDoesNotHandACallerAnAnswerFromADeploymentItIsDenied() {
    AccessPolicy policy = AccessPolicy.builder()
        .team("all", AccessRule.builder("all").build())
        .team("no-openai", AccessRule.builder("no-openai").denyProviders("openai").build())
        .build();
    Gateway g = build(builder(policy).cache(ResponseCache.defaults()));

    assertThat(g.chat(ChatRequest.of("smart", "hi"), team("all")).deployment().provider())
        .isEqualTo("openai");
    ChatResponse second = g.chat(ChatRequest.of("smart", "hi"), team("no-openai"));

    assertThat(second.deployment().provider()).isEqualTo("anthropic");
    assertThat(anthropic.calls()).hasSize(1);
  }
}
