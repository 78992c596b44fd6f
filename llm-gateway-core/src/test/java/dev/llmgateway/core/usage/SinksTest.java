package dev.llmgateway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallKind;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

@Timeout(30)
class SinksTest {

  @Test
  void aggregatesSumCallsTokensAndCostPerTeamProjectAndMonth() {
    UsageAggregates totals = UsageAggregates.create();
    totals.accept(Records.call("a"));
    totals.accept(Records.call("b"));
    totals.accept(at(Records.call("c"), Instant.parse("2027-01-01T00:00:00Z")));

    UsageAggregates.Totals december = totals.totals("search", null, YearMonth.of(2026, 12));
    assertThat(december.calls()).isEqualTo(2);
    assertThat(december.inputTokens()).isEqualTo(192);
    assertThat(december.outputTokens()).isEqualTo(18);
    assertThat(december.cost()).isEqualByComparingTo(new BigDecimal("0.000528"));
    assertThat(totals.totals()).hasSize(2);
    assertThat(totals.totals().keySet()).extracting(UsageAggregates.Key::month)
        .containsExactly(YearMonth.of(2026, 12), YearMonth.of(2027, 1));
  }

  @Test
  void aggregatesKeepAtMostTheirGroupsAndCountTheRest() {
    UsageAggregates totals = UsageAggregates.create(2);
    for (String team : new String[] {"a", "b", "c", "a"}) {
      totals.accept(team(Records.call(team), team));
    }

    assertThat(totals.totals()).hasSize(2);
    assertThat(totals.totals("a", null, YearMonth.of(2026, 12)).calls()).isEqualTo(2);
    assertThat(totals.overflowed()).isEqualTo(1);
    assertThatThrownBy(() -> UsageAggregates.create(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxGroups");
  }

  @Test
  void theSlf4jSinkLogsTheRedactedOneLineFormAndChecksItsLoggerName() {
    Slf4jUsageSink sink = Slf4jUsageSink.of("usage.test", Level.TRACE); // off: nothing formatted
    sink.accept(Records.call("x"));

    assertThat(Records.call("x").toString()).contains("user=<redacted>").doesNotContain("u-17");
    assertThat(Slf4jUsageSink.create().toString()).contains("dev.llmgateway.usage", "INFO");
    assertThatThrownBy(() -> Slf4jUsageSink.of(" ", Level.INFO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static UsageRecord at(UsageRecord r, Instant when) {
    return new UsageRecord(r.callId(), when, CallKind.CHAT, r.principal(), r.requestedModel(),
        r.deployment(), r.servedModel(), r.attempts(), r.usage(), r.cost(), r.latency(),
        r.timeToFirstToken(), r.outcome(), r.errorType(), r.tags(), r.cacheHit(), r.routing());
  }

  private static UsageRecord team(UsageRecord r, String team) {
    return new UsageRecord(r.callId(), r.timestamp(), CallKind.CHAT, Principal.of(team, "u"),
        r.requestedModel(), r.deployment(), r.servedModel(), r.attempts(), r.usage(), r.cost(),
        r.latency(), r.timeToFirstToken(), r.outcome(), r.errorType(), r.tags(), r.cacheHit(),
        r.routing());
  }
}
