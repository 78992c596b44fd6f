package dev.llmgateway.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.limit.Scope;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A budget's settings, its money in nano-dollars, its periods in its zone, and Budgets' checks. */
@Timeout(30)
class BudgetTest {

  @Test
  void defaultsAreAMonthInUtcSoftAtEightyPercentRefusingAtTheLimit() {
    Budget b = Budget.perId("team-monthly", Scope.TEAM, "100.00");

    assertThat(b.period()).isEqualTo(BudgetPeriod.MONTH);
    assertThat(b.zone()).isEqualTo(ZoneId.of("Z"));
    assertThat(b.softThreshold()).isEqualTo(0.8);
    assertThat(b.atHardLimit()).isEqualTo(HardLimitAction.REFUSE);
    assertThat(b.id()).isNull();
    assertThat(b.limitNanos()).isEqualTo(100_000_000_000L);
    assertThat(b.toString()).isEqualTo("Budget[team-monthly, team (each its own), $100 per month"
        + " in Z, soft at 80%, at the limit REFUSE]");
  }

  @Test
  void moneyIsKeptInWholeNanoDollarsRoundedUp() {
    assertThat(Budget.toNanos(new BigDecimal("0.0000000001"))).isEqualTo(1);
    assertThat(Budget.toNanos(new BigDecimal("0.000000001"))).isEqualTo(1);
    assertThat(Budget.toNanos(new BigDecimal("0.0000000011"))).isEqualTo(2);
    assertThat(Budget.toNanos(new BigDecimal("1.5"))).isEqualTo(1_500_000_000L);
    assertThat(Budget.toNanos(BigDecimal.ZERO)).isZero();
    assertThat(Budget.toNanos(new BigDecimal("1e30"))).isEqualTo(Long.MAX_VALUE);
    assertThat(Budget.toDollars(1_500_000_000L)).isEqualByComparingTo("1.5");
    assertThat(Budget.toDollars(1_500_000_000L).toPlainString()).isEqualTo("1.5");
    assertThat(Budget.toDollars(3_000_000_000L).toPlainString()).isEqualTo("3");
    assertThat(Budget.perId("b", Scope.TEAM, "0.0000000001").limit()).isEqualByComparingTo(
        "0.000000001");
    assertThatThrownBy(() -> Budget.toNanos(new BigDecimal("-1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badSettingsAreRefusedSayingWhatToFix() {
    assertThatThrownBy(() -> Budget.perId("", Scope.TEAM, "1")).hasMessageContaining("1 to 64");
    assertThatThrownBy(() -> Budget.perId("a b", Scope.TEAM, "1"))
        .hasMessageContaining("letters, digits");
    assertThatThrownBy(() -> Budget.perId("b", Scope.TEAM, "0")).hasMessageContaining("above 0");
    assertThatThrownBy(() -> Budget.perId("b", Scope.TEAM, "1000000001"))
        .hasMessageContaining("at most 1000000000");
    assertThatThrownBy(() -> Budget.perId("b", Scope.TEAM, "ten"))
        .hasMessageContaining("decimal number of US dollars");
    assertThatThrownBy(() -> Budget.perId("b", Scope.USER, "1"))
        .hasMessageContaining("raw end-user ids");
    assertThatThrownBy(() -> Budget.perId("b", Scope.GLOBAL, "1"))
        .hasMessageContaining("per tenant");
    assertThatThrownBy(() -> Budget.perId("b", Scope.DEPLOYMENT, "1"))
        .hasMessageContaining("per deployment");
    assertThatThrownBy(() -> Budget.forId("b", Scope.TEAM, "", "1"))
        .hasMessageContaining("id must be 1 to 256");
    Budget b = Budget.perId("b", Scope.TEAM, "1");
    assertThatThrownBy(() -> b.softThreshold(0)).hasMessageContaining("above 0 and at most 1");
    assertThatThrownBy(() -> b.softThreshold(1.01)).hasMessageContaining("above 0 and at most 1");
    assertThatThrownBy(() -> b.softThreshold(Double.NaN))
        .hasMessageContaining("above 0 and at most 1");
    assertThatThrownBy(() -> Budgets.builder().budget(b).budget(b.limit("2")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("two budgets are named 'b'");
    assertThatThrownBy(() -> Budgets.builder().unknownCost(UnknownCost.CHARGE_RESERVATION))
        .hasMessageContaining("Price.perMillion");
  }

  @Test
  void periodsStartAtMidnightInTheBudgetsZone() {
    Instant at = Instant.parse("2026-03-29T01:30:00Z"); // a Sunday; 03:30 in Berlin (CEST)
    ZoneId berlin = ZoneId.of("Europe/Berlin");

    assertThat(BudgetPeriod.MONTH.start(at, berlin)).isEqualTo("2026-02-28T23:00:00Z");
    assertThat(BudgetPeriod.MONTH.end(at, berlin)).isEqualTo("2026-03-31T22:00:00Z");
    assertThat(BudgetPeriod.DAY.start(at, berlin)).isEqualTo("2026-03-28T23:00:00Z");
    assertThat(BudgetPeriod.DAY.end(at, berlin))
        .as("a 23-hour day: the clocks went forward").isEqualTo("2026-03-29T22:00:00Z");
    assertThat(BudgetPeriod.WEEK.start(at, berlin)).isEqualTo("2026-03-22T23:00:00Z");
    assertThat(BudgetPeriod.WEEK.end(at, berlin)).isEqualTo("2026-03-29T22:00:00Z");
    assertThat(BudgetPeriod.MONTH.start(Instant.parse("2026-12-31T23:59:59Z"), ZoneId.of("Z")))
        .isEqualTo("2026-12-01T00:00:00Z");
    assertThat(BudgetPeriod.MONTH.start(Instant.parse("2027-01-01T00:00:00Z"), ZoneId.of("Z")))
        .isEqualTo("2027-01-01T00:00:00Z");
  }

  @Test
  void aCountersTenantIsTheCallersOrg() {
    Budget b = Budget.perId("b", Scope.TEAM, "1");
    Instant now = Instant.parse("2026-12-15T00:00:00Z");
    assertThat(BudgetCounter.tenantOf(Principal.builder().org("acme").team("t").build()))
        .isEqualTo("acme");
    assertThat(BudgetCounter.tenantOf(Principal.of("t", "u"))).isEmpty();
    assertThat(b.counter("acme", "t", now)).isEqualTo(new BudgetCounter("b", Scope.TEAM, "acme",
        "t", Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z")));
  }

  @Test
  void budgetsTakeTheClockOfTheirFirstGatewayAndRefuseASecondGatewaysOther() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-15T00:00:00Z"));
    Budgets budgets = Budgets.builder().budget(Budget.perId("b", Scope.TEAM, "1")).build();
    StubProvider stub = new StubProvider("stub");
    try (Gateway first = Gateway.builder().provider(stub).clock(clock).budgets(budgets).build();
        Gateway derived = first.newBuilder().build()) {
      assertThat(budgets.clock()).isSameAs(clock);
      assertThat(derived).isNotNull();
      assertThatThrownBy(() -> Gateway.builder().provider(stub).clock(Clock.systemUTC())
          .budgets(budgets).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("give the gateways one clock");
    }
    Clock own = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneId.of("Z"));
    Budgets withOwn = Budgets.builder().clock(own).build();
    try (Gateway g = Gateway.builder().provider(stub).clock(clock).budgets(withOwn).build()) {
      assertThat(withOwn.clock()).isSameAs(own);
      assertThat(g.toString()).contains("budgets=Budgets[[]");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "${0} is {1} nano-dollars")
  @org.junit.jupiter.params.provider.CsvSource({
      "0, 0", "0.000000001, 1", "0.0000000001, 1", "1.50, 1500000000",
      "0.0004000000001, 400001", "9223372036.854775807, 9223372036854775807",
      "9223372036.854775808, 9223372036854775807", "1e30, 9223372036854775807"})
  void dollarsAreKeptAsNanoDollarsRoundedUpAndSaturated(String dollars, long nanos) {
    assertThat(Budget.toNanos(new BigDecimal(dollars))).isEqualTo(nanos);
  }
}
