package dev.llmgateway.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.testing.FakeProvider;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link ConfigScale} promises {@link ConfigScaleBenchmark}: at each size the gateway builds,
 * both aliases walk to their last rule and choose the cheapest of the route's candidates (worked
 * out by hand here, not by {@link ConfigScale#chosen}), the other aliases route too, and the
 * benchmark's check fails a call that went elsewhere.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigScaleTest {
  private final FakeProvider fake =
      FakeProvider.builder().name("fake").recordCalls(false).build();
  private Gateway gateway;

  private Gateway gateway(int size) {
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    gateway = ConfigScale.configure(Gateway.builder().provider(fake), size).build();
    return gateway;
  }

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.close();
    }
    fake.close();
  }

  @ParameterizedTest(name = "size {0}")
  @CsvSource({"10, fake/model-0006", "100, fake/model-0036", "1000, fake/model-0851"})
  void bothAliasesWalkToTheirLastRuleAndChooseTheCheapestCandidate(int size, String cheapest) {
    Gateway g = gateway(size);

    ChatResponse viaAlias = g.chat(ConfigScale.request(ConfigScale.ALIAS), ConfigScale.caller());
    ChatResponse viaShort =
        g.chat(ConfigScale.request(ConfigScale.SHORT_ALIAS), ConfigScale.caller());
    ChatResponse direct = g.chat(ConfigScale.request(cheapest), ConfigScale.caller());

    assertThat(ConfigScale.chosen(size)).isEqualTo(cheapest);
    assertThat(viaAlias.deployment()).hasToString(cheapest);
    assertThat(viaAlias.routing().path()).containsExactly("alias " + ConfigScale.ALIAS,
        "rule 'interactive' (team in [search] and tag 'interactive' and not estimated input"
            + " above 4000 tokens)", "strategy cheapest");
    assertThat(viaAlias.routing().plan()).hasSize(Math.min(size, ConfigScale.ROUTE_CANDIDATES));
    assertThat(viaShort.deployment()).hasToString(cheapest);
    assertThat(viaShort.routing().path().get(1)).startsWith("rule 'interactive'");
    assertThat(direct.deployment()).hasToString(cheapest);
    assertThat(direct.routing().path()).containsExactly("deployment");
    ConfigScale.check(viaAlias, ConfigScale.ALIAS, size);
    ConfigScale.check(viaShort, ConfigScale.SHORT_ALIAS, size);
    ConfigScale.check(direct, cheapest, size);
  }

  @ParameterizedTest(name = "size {0}")
  @CsvSource({"10", "100", "1000"})
  void theTeamAliasesRouteByTheirOwnRulesOrToTheSharedAlias(int size) {
    Gateway g = gateway(size);
    String last = String.format(Locale.ROOT, "team-%04d", size - 1);

    ChatResponse own = g.chat(ConfigScale.request(last), ConfigScale.caller());
    ChatResponse shared = g.chat(ConfigScale.request("team-0002"), ConfigScale.caller());

    assertThat(own.deployment()).hasToString("fake/model-0001");
    assertThat(own.routing().path()).contains("otherwise (no rule matched)");
    assertThat(shared.deployment()).hasToString(ConfigScale.chosen(size));
    assertThat(shared.routing().path()).contains("alias " + ConfigScale.ALIAS);
  }

  @Test
  void theCheckFailsACallThatWentElsewhere() {
    Gateway g = gateway(10);
    ChatResponse elsewhere = g.chat(ConfigScale.request("fake/model-0001"), ConfigScale.caller());
    ChatResponse byDeployment = g.chat(ConfigScale.request("fake/model-0006"),
        ConfigScale.caller());

    assertThatIllegalStateException()
        .isThrownBy(() -> ConfigScale.check(elsewhere, ConfigScale.ALIAS, 10))
        .withMessageContaining("went to fake/model-0001, not fake/model-0006");
    assertThatIllegalStateException()
        .isThrownBy(() -> ConfigScale.check(byDeployment, ConfigScale.ALIAS, 10))
        .withMessageContaining("did not route by its last rule");
  }

  @Test
  void sizesThatCannotPriceEveryDeploymentApartAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConfigScale.configure(Gateway.builder().provider(fake), 70))
        .withMessageContaining("not a multiple of 7, was 70");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConfigScale.chosen(5))
        .withMessageContaining("at least 10");
  }
}
