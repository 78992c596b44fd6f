package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Downgrade;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Aliases end to end: an alias sends a call to its route while {@code provider/model} and bare
 * model names keep working; an unknown model fails naming the aliases; aliases chain through
 * rules with every step in the decision trail; broken alias graphs (cycles, unknown targets,
 * unknown providers deep in a route, an unknown downgrade) fail at {@code build()}; and an
 * interceptor before routing can send a call to its alias's cheaper downgrade route.
 */
@Timeout(30)
class AliasRoutingTest {
  private final StubProvider fake = new StubProvider("fake");
  private final StubProvider other = new StubProvider("other");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private @Nullable Gateway gateway;

  AliasRoutingTest() {
    fake.replyToAll(r -> "fake answered " + r.model());
    other.replyToAll(r -> "other answered " + r.model());
  }

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    fake.close();
    other.close();
  }

  private GatewayBuilder builder() {
    return Gateway.builder().provider(fake).provider(other).usageSink(usage);
  }

  private ChatResponse chat(String model) {
    return gateway.chat(ChatRequest.of(model, "Hi"));
  }

  @Test
  void anAliasSendsTheCallToItsRoute() {
    gateway = builder().alias("smart", Route.fallback("other/big", "fake/small")).build();

    ChatResponse answer = chat("smart");

    assertThat(answer.deployment()).isEqualTo(Deployment.parse("other/big"));
    assertThat(answer.text()).isEqualTo("other answered big");
    assertThat(answer.routing().path()).containsExactly("alias smart", "strategy ordered");
    assertThat(answer.routing().plan()).containsExactly(
        Deployment.parse("other/big"), Deployment.parse("fake/small"));
    assertThat(fake.calls()).isEmpty();
    UsageRecord record = usage.records().get(0);
    assertThat(record.requestedModel()).isEqualTo("smart");
    assertThat(record.deployment()).isEqualTo(Deployment.parse("other/big"));
    assertThat(record.routing()).isEqualTo(answer.routing());
  }

  @Test
  void providerSlashModelAndABareModelAtTheDefaultProviderStillWork() {
    gateway = builder().defaultProvider("other")
        .alias("smart", Route.to("fake/small")).build();

    ChatResponse direct = chat("fake/m1");
    ChatResponse bare = chat("m2");

    assertThat(direct.deployment()).isEqualTo(Deployment.parse("fake/m1"));
    assertThat(direct.routing().path()).containsExactly("deployment");
    assertThat(direct.routing().plan()).containsExactly(Deployment.parse("fake/m1"));
    assertThat(bare.deployment()).isEqualTo(Deployment.parse("other/m2"));
    assertThat(bare.routing().path()).containsExactly("default provider");
    assertThat(fake.calls()).last().extracting(GatewayRequest::model).isEqualTo("m1");
    assertThat(other.calls()).last().extracting(GatewayRequest::model).isEqualTo("m2");
  }

  @Test
  void anUnknownModelWithoutADefaultProviderFailsNamingTheAliasesAndProviders() {
    gateway = builder().alias("smart", Route.to("fake/big"))
        .alias("cheap", Route.to("fake/small")).build();

    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> chat("gpt-7"));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("'gpt-7'", "smart", "cheap", "fake", "other");
    assertThat(fake.calls().size() + other.calls().size()).isZero();
    assertThat(usage.records()).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
      assertThat(r.errorType()).isEqualTo("InvalidRequestException");
    });
  }

  /** Issue 24.4: "is not an alias []" printed an empty list and no way forward. */
  @Test
  void anUnknownModelWithNoAliasesSaysNoneIsDefinedAndHowToDefineOne() {
    gateway = builder().build();

    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> chat("gpt-7"));

    assertThat(e.getMessage()).contains("'gpt-7'", "none is defined",
            "GatewayBuilder.alias(name, route)", "[fake, other]", "GatewayBuilder.defaultProvider")
        .doesNotContain("[]");
  }

  /**
   * Issue 24.4: {@code Route.fallback("cheap", ...)} with {@code cheap} an alias failed with "a
   * deployment is written provider/model, was 'cheap'", naming neither the alias being defined nor
   * what to write instead; it fails at build, whichever alias is defined first.
   */
  @Test
  void aFallbackToAnAliasSaysFallbackTakesDeploymentsAndNamesTheAliasBeingDefined() {
    GatewayBuilder beforeItsTarget = builder()
        .alias("smart", Route.fallback("cheap", "other/big"))
        .alias("cheap", Route.to("fake/small"));
    GatewayBuilder afterItsTarget = builder()
        .alias("cheap", Route.to("fake/small"))
        .alias("smart", Route.cheapest("other/big", "cheap"));

    for (GatewayBuilder b : new GatewayBuilder[] {beforeItsTarget, afterItsTarget}) {
      assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("alias 'smart': Route.fallback and the other candidate routes")
          .hasMessageContaining("take deployments written provider/model")
          .hasMessageContaining("but 'cheap' is an alias")
          .hasMessageContaining("Route.target(\"cheap\")");
    }
  }

  @Test
  void aCandidateWithoutAProviderDeepInARouteNamesTheAliasAndAProviderToWriteItWith() {
    GatewayBuilder underRules = builder().alias("auto", Route.rules()
        .when("x", Condition.keywords("x"), Route.fallback("fake/m", "gpt-4o"))
        .otherwise("fake/m"));

    assertThatThrownBy(underRules::build).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("alias 'auto': Route.fallback")
        .hasMessageContaining("'gpt-4o' has no provider part and is no alias")
        .hasMessageContaining("write it as 'fake/gpt-4o' or with another provider [fake, other]");
  }

  @Test
  void aRouteKeepsACandidateWithoutAProviderForTheBuildToRefuse() {
    Route route = Route.fallback("cheap", "fake/m");

    assertThat(route.candidates()).containsExactly(Deployment.parse("fake/m"));
    assertThat(route.invalidCandidates()).containsExactly("cheap");
    assertThat(route).hasToString("Route[ordered [fake/m], not deployments [cheap]]");
    assertThatThrownBy(() -> Route.fallback("fake/")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("provider/model");
  }

  @Test
  void anAliasChainThroughRulesRecordsEveryStepInTheTrail() {
    gateway = builder()
        .alias("auto", Route.rules()
            .when("code", Condition.codeBlock(), "coder")
            .otherwise("cheap"))
        .alias("coder", Route.target("smart"))
        .alias("smart", Route.fallback("other/big", "fake/big"))
        .alias("cheap", Route.to("fake/small"))
        .build();

    ChatResponse code = gateway.chat(ChatRequest.of("auto", "Why?\n```java\nx++;\n```"));
    ChatResponse chat = chat("auto");

    assertThat(code.deployment()).isEqualTo(Deployment.parse("other/big"));
    assertThat(code.routing().path()).containsExactly("alias auto",
        "rule 'code' (last user message has a code block)", "alias coder", "alias smart",
        "strategy ordered");
    assertThat(chat.deployment()).isEqualTo(Deployment.parse("fake/small"));
    assertThat(chat.routing().path()).containsExactly("alias auto",
        "otherwise (no rule matched)", "alias cheap", "strategy ordered");
    assertThat(code.routing().explain()).isEqualTo("alias auto → rule 'code' (last user message"
        + " has a code block) → alias coder → alias smart → strategy ordered;"
        + " plan [other/big, fake/big]");
  }

  @Test
  void anAliasCycleFailsAtBuildNamingTheCycle() {
    GatewayBuilder cyclic = builder()
        .alias("a", Route.target("b"))
        .alias("b", Route.rules().when("x", Condition.keywords("x"), "a").otherwise("fake/m"));

    assertThatThrownBy(cyclic::build).isInstanceOf(IllegalStateException.class)
        .hasMessageMatching("aliases lead back to themselves: (a → b → a|b → a → b)");
  }

  @Test
  void anAliasNamingItselfFailsAtBuild() {
    GatewayBuilder selfish = builder().alias("me", Route.split(StickyKey.user(),
        Variant.of("x", 1, "fake/m"), Variant.of("y", 1, "me")));

    assertThatThrownBy(selfish::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("aliases lead back to themselves: me → me");
  }

  @Test
  void anUnknownAliasTargetFailsAtBuildNamingIt() {
    GatewayBuilder dangling = builder().alias("smart", Route.to("fake/big"))
        .alias("auto", Route.rules().when("x", Condition.keywords("x"), "smart")
            .otherwise("nowhere"));

    assertThatThrownBy(dangling::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("alias 'nowhere' but no alias has that name")
        .hasMessageContaining("smart").hasMessageContaining("auto");
  }

  @Test
  void anUnknownProviderDeepInARouteFailsAtBuild() {
    GatewayBuilder underRules = builder().alias("auto", Route.rules()
        .when("x", Condition.keywords("x"), Route.fallback("fake/m", "nope/m"))
        .otherwise("fake/m"));
    GatewayBuilder underSplit = builder().alias("ab", Route.split(StickyKey.user(),
        Variant.of("a", 1, "fake/m"),
        Variant.of("b", 1, Route.cheapest("other/m", "missing/m"))));
    GatewayBuilder asContentFallback = builder()
        .alias("guarded", Route.to("fake/m").onContentFiltered("gone/m"));

    assertThatThrownBy(underRules::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("alias 'auto' points at 'nope/m'")
        .hasMessageContaining("no provider is named 'nope'");
    assertThatThrownBy(underSplit::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("alias 'ab' points at 'missing/m'");
    assertThatThrownBy(asContentFallback::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'gone/m'").hasMessageContaining("no provider is named 'gone'");
  }

  @Test
  void aBeforeRoutingInterceptorSendsTheCallToTheDowngradeAlias() {
    AtomicReference<String> budget = new AtomicReference<>();
    gateway = builder()
        .alias("smart", Route.fallback("other/big", "fake/big").downgradeTo("cheap"))
        .alias("cheap", Route.to("fake/small"))
        .interceptor(InterceptorPosition.BEFORE_ROUTING, chain -> {
          String reason = budget.get();
          if (reason != null) {
            chain.call().tag(Downgrade.class, new Downgrade(reason));
          }
          return chain.proceed(chain.request());
        })
        .build();

    ChatResponse normal = chat("smart");
    budget.set("team budget at 92%");
    ChatResponse downgraded = chat("smart");

    assertThat(normal.deployment()).isEqualTo(Deployment.parse("other/big"));
    assertThat(normal.routing().downgraded()).isFalse();
    assertThat(downgraded.deployment()).isEqualTo(Deployment.parse("fake/small"));
    RoutingDecision decision = downgraded.routing();
    assertThat(decision.downgraded()).isTrue();
    assertThat(decision.path()).containsExactly("alias smart",
        "downgraded (team budget at 92%)", "alias cheap", "strategy ordered");
    assertThat(decision.plan()).containsExactly(Deployment.parse("fake/small"));
    assertThat(usage.records().get(1).routing().downgraded()).isTrue();
    assertThat(other.calls()).hasSize(1);
  }

  @Test
  void aDowngradeRequestForAnAliasWithoutADowngradeIsIgnored() {
    gateway = builder().alias("smart", Route.to("other/big"))
        .interceptor(InterceptorPosition.BEFORE_ROUTING, chain -> {
          chain.call().tag(Downgrade.class, new Downgrade("over budget"));
          return chain.proceed(chain.request());
        })
        .build();

    ChatResponse answer = chat("smart");

    assertThat(answer.deployment()).isEqualTo(Deployment.parse("other/big"));
    assertThat(answer.routing().downgraded()).isFalse();
    assertThat(answer.routing().path()).containsExactly("alias smart", "strategy ordered");
  }

  @Test
  void aDowngradeOnARouteReachedThroughRulesAppliesAtTheFirstSuchRouteOfTheWalk() {
    gateway = builder()
        .alias("auto", Route.rules()
            .when("big", Condition.keywords("essay"), "smart")
            .otherwise("cheap"))
        .alias("smart", Route.to("other/big").downgradeTo("cheap"))
        .alias("cheap", Route.to("fake/small").downgradeTo("smart")) // never downgrades twice
        .interceptor(InterceptorPosition.BEFORE_ROUTING, chain -> {
          chain.call().tag(Downgrade.class, new Downgrade("budget"));
          return chain.proceed(chain.request());
        })
        .build();

    ChatResponse answer = gateway.chat(ChatRequest.of("auto", "write an essay"));

    assertThat(answer.deployment()).isEqualTo(Deployment.parse("fake/small"));
    assertThat(answer.routing().path()).containsExactly("alias auto",
        "rule 'big' (last user message mentions [essay])", "alias smart",
        "downgraded (budget)", "alias cheap", "strategy ordered");
  }

  @Test
  void aDowngradeToAnUnknownAliasFailsAtBuild() {
    GatewayBuilder broken = builder()
        .alias("smart", Route.to("other/big").downgradeTo("cheapest"))
        .alias("cheap", Route.to("fake/small"));

    assertThatThrownBy(broken::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("alias 'smart' downgrades to 'cheapest' but no alias has that name");
    assertThatThrownBy(() -> Route.to("other/big").downgradeTo("fake/small"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be an alias name");
  }

  @Test
  void aDowngradeOnARouteNestedUnderRulesIsCheckedAtBuild() {
    GatewayBuilder nested = builder().alias("auto", Route.rules()
        .when("x", Condition.keywords("x"), Route.to("other/big").downgradeTo("nowhere"))
        .otherwise("fake/m"));

    assertThatThrownBy(nested::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'nowhere'");
  }
}
