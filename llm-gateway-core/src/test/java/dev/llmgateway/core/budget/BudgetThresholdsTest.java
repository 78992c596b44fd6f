package dev.llmgateway.core.budget;

import static dev.llmgateway.core.budget.BudgetFixture.DOLLAR;
import static dev.llmgateway.core.budget.BudgetFixture.SALES;
import static dev.llmgateway.core.budget.BudgetFixture.SUPPORT;
import static dev.llmgateway.core.budget.BudgetFixture.ask;
import static dev.llmgateway.core.budget.BudgetFixture.critical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.BudgetExceededException;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.route.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a budget's thresholds do to calls: below the soft threshold nothing, past it non-critical
 * calls go down the downgrade route (and the decision trail and usage record say why), critical
 * ones keep their model until the hard limit, where calls are refused naming the budget — or, under
 * {@code DOWNGRADE_ONLY}, all go down the downgrade route. Events at 50, 80 and 100 % once each;
 * admin changes seen by the next call; the cache never hands a downgraded answer to a caller who
 * was not downgraded.
 */
@Timeout(60)
class BudgetThresholdsTest {
  private static final Budget TEAM = Budget.perId("team-monthly", Scope.TEAM, "1.00");
  private static final Deployment BIG = Deployment.parse("stub/big");
  private static final Deployment SMALL = Deployment.parse("stub/small");

  private final BudgetFixture f = new BudgetFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void belowTheSoftThresholdCallsKeepTheirModel() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.spend(TEAM, SUPPORT, 79 * DOLLAR / 100);

    ChatResponse answer = gateway.chat(ask("smart", "hi", 100), SUPPORT);

    assertThat(answer.deployment()).isEqualTo(BIG);
    assertThat(answer.routing().downgraded()).isFalse();
  }

  @Test
  void pastTheSoftThresholdANonCriticalCallIsDowngradedAndTheTrailSaysWhy() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.spend(TEAM, SUPPORT, 83 * DOLLAR / 100);

    ChatResponse answer = gateway.chat(ask("smart", "hi", 100), SUPPORT);

    assertThat(answer.deployment()).isEqualTo(SMALL);
    assertThat(answer.routing().downgraded()).isTrue();
    assertThat(answer.routing().explain())
        .contains("downgraded (team budget 'team-monthly' at 83%)");
    UsageRecord record = f.records.last();
    assertThat(record.routing().downgraded()).isTrue();
    assertThat(record.routing().path()).contains("downgraded (team budget 'team-monthly' at 83%)");
    assertThat(gateway.chat(ask("smart", "hi", 100), SALES).deployment())
        .as("another team's budget is its own").isEqualTo(BIG);
  }

  @Test
  void aCriticalCallKeepsItsModelUntilTheHardLimit() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.spend(TEAM, SUPPORT, 95 * DOLLAR / 100);

    assertThat(gateway.chat(critical(ask("smart", "hi", 100)), SUPPORT).deployment())
        .isEqualTo(BIG);
    assertThat(gateway.chat(ask("smart", "hi", 100), SUPPORT).deployment()).isEqualTo(SMALL);

    f.spend(TEAM, SUPPORT, 5 * DOLLAR / 100);
    assertThatThrownBy(() -> gateway.chat(critical(ask("smart", "hi", 100)), SUPPORT))
        .isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void atTheHardLimitCallsAreRefusedNamingTheBudgetAndTheRecordSaysBudget() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.spend(TEAM, SUPPORT, DOLLAR);

    assertThatThrownBy(() -> gateway.chat(ask("smart", "hi", 100), SUPPORT))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("team budget 'team-monthly' is used up: $1 of $1 spent (100%)"
            + " this month")
        .hasMessageContaining("2027-01-01T00:00:00Z")
        .message().doesNotContain("support").doesNotContain("user-secret-42");
    UsageRecord record = f.records.last();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertThat(record.refusal()).isEqualTo(UsageRecord.Refusal.BUDGET);
    assertThat(record.errorType()).isEqualTo("BudgetExceededException");
    assertThat(f.stub.calls()).isEmpty();
  }

  @Test
  void aCallWhoseMostCostNoLongerFitsIsRefusedBeforeAnyProviderIsAsked() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.spend(TEAM, SUPPORT, 97 * DOLLAR / 100);
    // critical (no downgrade); reserves 5 input tokens + 1,000 output at $10/$30: $0.03005
    assertThatThrownBy(() -> gateway.chat(critical(ask("smart", "hi", 1_000)), SUPPORT))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("team budget 'team-monthly' has no room for this call: $0.97 of $1"
            + " spent (97%) this month and $0 reserved by calls in flight; it may cost up to"
            + " $0.03005");
    assertThat(f.records.last().refusal()).isEqualTo(UsageRecord.Refusal.BUDGET);
    assertThat(f.stub.calls()).isEmpty();
    assertThat(gateway.chat(critical(ask("smart", "hi", 900)), SUPPORT).deployment())
        .as("a smaller call still fits").isEqualTo(BIG);
  }

  @Test
  void downgradeOnlySendsEveryCallDownTheCheaperRoutePastTheLimitAndRefusesARouteWithout() {
    Budget team = TEAM.atHardLimit(HardLimitAction.DOWNGRADE_ONLY);
    Gateway gateway = f.gateway(f.budgets(team).build(),
        b -> b.alias("plain", Route.to("stub/big")));
    f.spend(team, SUPPORT, DOLLAR);

    ChatResponse critical = gateway.chat(critical(ask("smart", "hi", 100)), SUPPORT);
    ChatResponse normal = gateway.chat(ask("smart", "hi", 100), SUPPORT);

    assertThat(critical.deployment()).isEqualTo(SMALL);
    assertThat(critical.routing().explain()).contains("team budget 'team-monthly' used up");
    assertThat(normal.deployment()).isEqualTo(SMALL);
    assertThat(f.balance(team, SUPPORT).spentNanos())
        .as("downgraded calls are charged, past the limit")
        .isGreaterThan(DOLLAR);
    assertThatThrownBy(() -> gateway.chat(ask("plain", "hi", 100), SUPPORT))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("serves only downgraded calls")
        .hasMessageContaining("'plain' has no downgrade route (Route.downgradeTo)");
    assertThat(f.records.last().refusal()).isEqualTo(UsageRecord.Refusal.BUDGET);
  }

  @Test
  void thresholdEventsComeAtFiftyEightyAndOneHundredPercentOnceEach() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    // each call reserves 5 x $10 + 10,000 x $30 per million ($0.30005) and costs $0.30
    for (int i = 0; i < 6; i++) {
      f.stub.onAnyModel().reply("answer", Usage.of(0, 10_000));
    }
    gateway.chat(critical(ask("smart", "q1", 10_000)), SUPPORT); // 30 %
    assertThat(f.events).isEmpty();
    gateway.chat(critical(ask("smart", "q2", 10_000)), SUPPORT); // 60 %
    gateway.chat(critical(ask("smart", "q3", 10_000)), SUPPORT); // 90 %
    for (int i = 0; i < 3; i++) { // no room left for $0.30005
      assertThatThrownBy(() -> gateway.chat(critical(ask("smart", "q", 10_000)), SUPPORT))
          .isInstanceOf(BudgetExceededException.class);
    }

    assertThat(f.events).extracting(BudgetEvent::percent).containsExactly(50, 80, 100);
    assertThat(f.events).extracting(BudgetEvent::refusal).containsExactly(false, false, true);
    BudgetStatus at80 = f.events.get(1).status();
    assertThat(at80.name()).isEqualTo("team-monthly");
    assertThat(at80.id()).isEqualTo("support");
    assertThat(at80.tenant()).isEqualTo("acme");
    assertThat(at80.spentNanos()).isEqualTo(900_000_000L);
  }

  @Test
  void spendingPastTheLimitAnnouncesEveryThresholdItCrossedInOrder() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.stub.onAnyModel().reply("long answer", Usage.of(0, 40_000)); // $1.20, reserved $0.30005

    gateway.chat(critical(ask("smart", "q", 10_000)), SUPPORT);

    assertThat(f.events).extracting(BudgetEvent::percent).containsExactly(50, 80, 100);
    assertThat(f.events).extracting(BudgetEvent::refusal).containsOnly(false);
    assertThat(f.events.get(2).status().percentSpent()).isEqualTo(120);
  }

  @Test
  void aListenerThatThrowsNeverReachesTheCall() {
    Gateway gateway = f.gateway(f.budgets(TEAM).listener(e -> {
      throw new IllegalStateException("alerting is down");
    }).build());
    f.stub.onAnyModel().reply("long answer", Usage.of(0, 40_000));

    assertThat(gateway.chat(critical(ask("smart", "q", 10_000)), SUPPORT).text())
        .isEqualTo("long answer");
  }

  @Test
  void aBudgetChangedAtRunTimeIsSeenByTheNextCall() {
    Budgets budgets = f.budgets(TEAM).build();
    Gateway gateway = f.gateway(budgets);
    f.spend(TEAM, SUPPORT, DOLLAR);
    assertThatThrownBy(() -> gateway.chat(ask("smart", "hi", 100), SUPPORT))
        .isInstanceOf(BudgetExceededException.class);

    assertThat(budgets.set(TEAM.limit("2.00"))).isEqualTo(TEAM);
    ChatResponse raised = gateway.chat(ask("smart", "hi", 100), SUPPORT);
    assertThat(raised.deployment()).as("50% spent of $2").isEqualTo(BIG);
    assertThat(budgets.status("team-monthly", SUPPORT).limit()).isEqualByComparingTo("2");

    budgets.set(Budget.forId("support-only", Scope.TEAM, "support", "0.50"));
    assertThat(gateway.chat(ask("smart", "hi", 100), SALES).deployment()).isEqualTo(BIG);
    assertThat(gateway.chat(ask("smart", "hi", 100), SUPPORT).deployment())
        .as("team support's own budget replaces the per-team one").isEqualTo(BIG);
    f.spend(Budget.forId("support-only", Scope.TEAM, "support", "0.50"), SUPPORT, DOLLAR / 2);
    assertThatThrownBy(() -> gateway.chat(ask("smart", "hi", 100), SUPPORT))
        .hasMessageContaining("team budget 'support-only' is used up");

    assertThat(budgets.remove("support-only")).isTrue();
    assertThat(budgets.remove("team-monthly")).isTrue();
    assertThat(budgets.remove("team-monthly")).isFalse();
    f.records.clear();
    gateway.chat(ask("smart", "hi", 100), SUPPORT);
    assertThat(f.records.last().routing().downgraded()).isFalse();
    assertThat(budgets.list()).isEmpty();
  }

  @Test
  void statusReportsSpentReservedRemainingAndThePeriod() {
    Budgets budgets = f.budgets(TEAM).build();
    Gateway gateway = f.gateway(budgets);
    f.stub.onAnyModel().reply("ok", Usage.of(1_000, 1_000)); // $0.01 + $0.03
    gateway.chat(critical(ask("smart", "hi", 100)), SUPPORT);
    gateway.chat(ask("smart", "hi", 100), SALES);

    BudgetStatus status = budgets.status("team-monthly", SUPPORT);

    assertThat(status.spent()).isEqualByComparingTo("0.04");
    assertThat(status.reserved()).isEqualByComparingTo("0");
    assertThat(status.remaining()).isEqualByComparingTo("0.96");
    assertThat(status.percentSpent()).isEqualTo(4);
    assertThat(status.periodStart()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(status.periodEnd()).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(status.toString()).contains("team-monthly", "team support of acme")
        .doesNotContain("user-secret-42");
    assertThat(budgets.statuses()).extracting(BudgetStatus::id)
        .containsExactly("sales", "support");
    assertThat(budgets.status("team-monthly", "acme", "nobody").spentNanos()).isZero();
    assertThatThrownBy(() -> budgets.status("nope", SUPPORT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("team-monthly");
  }

  @Test
  void aDowngradedAnswerIsNeverServedFromTheCacheToAFullPriceCaller() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build(),
        b -> b.cache(ResponseCache.builder().build()));
    f.stub.replyToAll(r -> "from " + r.model());
    f.spend(TEAM, SUPPORT, 85 * DOLLAR / 100);

    ChatResponse downgraded = gateway.chat(ask("smart", "same question", 100), SUPPORT);
    ChatResponse otherTeam = gateway.chat(ask("smart", "same question", 100), SALES);
    ChatResponse criticalCaller =
        gateway.chat(critical(ask("smart", "same question", 100)), SUPPORT);
    long spentBefore = f.balance(TEAM, SUPPORT).spentNanos();
    ChatResponse downgradedAgain = gateway.chat(ask("smart", "same question", 100), SUPPORT);

    assertThat(downgraded.text()).isEqualTo("from small");
    assertThat(otherTeam.cacheHit()).as("a full-price caller got the downgraded answer").isFalse();
    assertThat(otherTeam.text()).isEqualTo("from big");
    assertThat(criticalCaller.cacheHit()).isTrue(); // the full-price entry sales filled
    assertThat(criticalCaller.text()).isEqualTo("from big");
    assertThat(downgradedAgain.cacheHit()).isTrue();
    assertThat(downgradedAgain.text()).isEqualTo("from small");
    assertThat(f.balance(TEAM, SUPPORT))
        .as("a cache hit reserves nothing and costs nothing")
        .satisfies(b -> assertThat(b.spentNanos()).isEqualTo(spentBefore))
        .satisfies(b -> assertThat(b.reservedNanos()).isZero());
    assertThat(f.stub.calls()).hasSize(2);
  }
}
