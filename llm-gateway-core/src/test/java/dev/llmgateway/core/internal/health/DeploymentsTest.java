package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.Race;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.internal.chain.RealGateway;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where per-deployment state is held: for good for the deployments the configuration names; in a
 * bounded set, dropped after an idle time on the injected clock, for any other.
 */
@Timeout(60)
class DeploymentsTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Deployment CANDIDATE = Deployment.parse("p/candidate");
  private static final Deployment IN_SPLIT = Deployment.parse("p/in-split");
  private static final Deployment IN_RULE = Deployment.parse("p/in-rule");
  private static final Deployment FALLBACK = Deployment.parse("p/fallback");
  private static final Deployment WITH_POLICY = Deployment.parse("p/with-policy");

  private final MutableClock clock = new MutableClock(START);

  private GatewayBuilder builder() {
    return Gateway.builder().provider(new StubProvider("p")).clock(clock)
        .alias("plain", Route.to(CANDIDATE.toString())
            .onContentFiltered(FALLBACK.toString()))
        .alias("split", Route.split(StickyKey.user(),
            Variant.of("a", 1, Route.to(IN_SPLIT.toString())),
            Variant.of("b", 1, "plain")))
        .alias("rules", Route.rules()
            .when("long", Condition.inputTokensAbove(1000), Route.to(IN_RULE.toString()))
            .otherwise("split"))
        .deployment(WITH_POLICY.toString(), DeploymentPolicy.builder()
            .attemptTimeout(Duration.ofSeconds(5)).build());
  }

  private static Deployments deployments(GatewayBuilder builder) {
    try (Gateway gateway = builder.build()) {
      GatewayConfig config = ((RealGateway) gateway).config();
      return new Deployments(config);
    }
  }

  private static Deployment adHoc(int i) {
    return new Deployment("p", "ad-hoc-" + i);
  }

  @Test
  void everyDeploymentTheConfigurationNamesHasItsStateFromTheStart() {
    Deployments deployments = deployments(builder());

    assertThat(deployments.health()).containsOnlyKeys(CANDIDATE, IN_SPLIT, IN_RULE, FALLBACK,
        WITH_POLICY);
    assertThat(List.of(CANDIDATE, IN_SPLIT, IN_RULE, FALLBACK, WITH_POLICY))
        .allSatisfy(d -> assertThat(deployments.configured(d)).as("%s", d).isTrue());
    assertThat(deployments.configured(adHoc(1))).isFalse();
    assertThat(deployments.state(WITH_POLICY).attemptTimeoutNanos())
        .isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(deployments.adHocCount()).isZero();
  }

  @Test
  void configuredStatesOutliveAnyIdleTimeAndAnyNumberOfAdHocOnes() {
    Deployments deployments = deployments(builder().maxAdHocDeployments(4));
    List<DeploymentState> before = new ArrayList<>();
    for (Deployment d : List.of(CANDIDATE, IN_SPLIT, IN_RULE, FALLBACK, WITH_POLICY)) {
      before.add(deployments.state(d));
    }

    for (int i = 0; i < 1_000; i++) {
      deployments.state(adHoc(i));
    }
    clock.advance(Duration.ofDays(30));

    assertThat(List.of(CANDIDATE, IN_SPLIT, IN_RULE, FALLBACK, WITH_POLICY))
        .extracting(deployments::state).containsExactlyElementsOf(before);
    assertThat(deployments.health()).containsKeys(CANDIDATE, IN_SPLIT, IN_RULE, FALLBACK,
        WITH_POLICY);
  }

  @Test
  void adHocStatesAreBoundedAndCountedInHealth() {
    Deployments deployments = deployments(builder().maxAdHocDeployments(10));

    for (int i = 0; i < 10_000; i++) {
      deployments.state(adHoc(i));
    }

    assertThat(deployments.adHocCount()).isEqualTo(10);
    assertThat(deployments.health()).hasSize(5 + 10);
  }

  @Test
  void anAdHocStateIsDroppedAfterTheIdleExpiryOnTheInjectedClock() {
    Deployments deployments = deployments(builder().adHocDeploymentExpiry(Duration.ofHours(1)));
    DeploymentState first = deployments.state(adHoc(1));
    deployments.state(adHoc(2));

    clock.advance(Duration.ofMinutes(40));
    assertThat(deployments.state(adHoc(2))).isNotNull(); // used: its hour starts again
    clock.advance(Duration.ofMinutes(19));
    assertThat(deployments.health()).as("59 minutes idle; health() is no use")
        .containsKeys(adHoc(1), adHoc(2));
    clock.advance(Duration.ofMinutes(1));

    assertThat(deployments.health()).doesNotContainKey(adHoc(1)).containsKey(adHoc(2));
    assertThat(deployments.adHocCount()).isEqualTo(1);
    DeploymentState second = deployments.state(adHoc(1));
    assertThat(second).isNotSameAs(first);
    assertThat(second.breaker().snapshot().callsInWindow()).isZero();
  }

  @Test
  void droppingAStateWhileAnAttemptHoldsItIsSafe() {
    Deployments deployments = deployments(builder().maxAdHocDeployments(1)
        .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(1).build()));
    DeploymentState held = deployments.state(adHoc(1));
    assertThat(held.breaker().acquire()).isNotNull();

    clock.advance(Duration.ofHours(2)); // expired
    deployments.state(adHoc(2)); // and displaced
    assertThat(deployments.health()).doesNotContainKey(adHoc(1));

    // the attempt ends on the state it was granted by
    held.breaker().onSuccess(Breaker.Permit.CLOSED, Duration.ofMillis(20).toNanos());
    assertThat(held.breaker().inFlight()).isZero();
    assertThat(held.breaker().snapshot().callsInWindow()).isEqualTo(1);
    // the next call gets a state of its own, untouched by the old attempt
    DeploymentState fresh = deployments.state(adHoc(1));
    assertThat(fresh).isNotSameAs(held);
    assertThat(fresh.breaker().inFlight()).isZero();
    assertThat(fresh.breaker().snapshot().callsInWindow()).isZero();
  }

  @Test
  void concurrentFirstLookupsOfOneAdHocDeploymentShareOneState() throws Exception {
    int racers = 6;
    Deployments deployments = deployments(builder().maxAdHocDeployments(64));
    try (Race race = new Race(racers)) {
      race.run(0x5eed_0022L, 3_000, r -> {
        Deployment d = adHoc(r);
        AtomicReferenceArray<DeploymentState> seen = new AtomicReferenceArray<>(racers);
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> list = new ArrayList<>();
            for (int t = 0; t < racers; t++) {
              int slot = t;
              list.add(() -> seen.set(slot, deployments.state(d)));
            }
            return list;
          }

          @Override
          public void check() {
            for (int t = 1; t < racers; t++) {
              assertThat(seen.get(t)).isSameAs(seen.get(0));
            }
            assertThat(deployments.state(d)).isSameAs(seen.get(0));
          }
        };
      });
    }
    assertThat(deployments.adHocCount()).isLessThanOrEqualTo(64);
  }
}
