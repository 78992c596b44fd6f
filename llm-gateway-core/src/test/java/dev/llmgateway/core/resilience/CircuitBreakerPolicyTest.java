package dev.llmgateway.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CircuitBreakerPolicyTest {

  @Test
  void defaultsAreDocumented() {
    CircuitBreakerPolicy p = CircuitBreakerPolicy.defaults();

    assertThat(p.enabled()).isTrue();
    assertThat(p.failureRateThreshold()).isEqualTo(0.5);
    assertThat(p.minimumCalls()).isEqualTo(10);
    assertThat(p.slidingWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.consecutiveFailures()).isEqualTo(5);
    assertThat(p.openDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.halfOpenProbes()).isEqualTo(1);
    assertThat(p.rateLimitCooldown()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.maxCooldown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(CircuitBreakerPolicy.builder().build()).isEqualTo(p);
  }

  @Test
  void disabledKeepsTheDefaultSettingsButIsOff() {
    CircuitBreakerPolicy p = CircuitBreakerPolicy.disabled();

    assertThat(p.enabled()).isFalse();
    assertThat(p).isNotEqualTo(CircuitBreakerPolicy.defaults());
    assertThat(p.toBuilder().enabled(true).build()).isEqualTo(CircuitBreakerPolicy.defaults());
    assertThat(p).hasToString("CircuitBreakerPolicy{disabled}");
  }

  @Test
  void builderSetsEverySetting() {
    CircuitBreakerPolicy p = CircuitBreakerPolicy.builder()
        .failureRateThreshold(0.25)
        .minimumCalls(20)
        .slidingWindow(Duration.ofMinutes(1))
        .consecutiveFailures(3)
        .openDuration(Duration.ofSeconds(10))
        .halfOpenProbes(2)
        .rateLimitCooldown(Duration.ofSeconds(1))
        .maxCooldown(Duration.ofSeconds(90))
        .build();

    assertThat(p.failureRateThreshold()).isEqualTo(0.25);
    assertThat(p.minimumCalls()).isEqualTo(20);
    assertThat(p.slidingWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.consecutiveFailures()).isEqualTo(3);
    assertThat(p.openDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.halfOpenProbes()).isEqualTo(2);
    assertThat(p.rateLimitCooldown()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.maxCooldown()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void toBuilderDerivesAVariantWithoutChangingTheOriginal() {
    CircuitBreakerPolicy original = CircuitBreakerPolicy.builder().halfOpenProbes(3).build();

    CircuitBreakerPolicy variant = original.toBuilder().openDuration(Duration.ofMinutes(1)).build();

    assertThat(variant.halfOpenProbes()).isEqualTo(3);
    assertThat(variant.openDuration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(original.openDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(original.toBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
  }

  @Test
  void aBuilderIsReusable() {
    CircuitBreakerPolicy.Builder builder = CircuitBreakerPolicy.builder().minimumCalls(4);
    CircuitBreakerPolicy first = builder.build();

    builder.minimumCalls(40);

    assertThat(first.minimumCalls()).isEqualTo(4);
    assertThat(builder.build().minimumCalls()).isEqualTo(40);
  }

  @Test
  void toStringListsTheSettings() {
    assertThat(CircuitBreakerPolicy.defaults()).hasToString("CircuitBreakerPolicy{"
        + "failureRateThreshold=0.5, minimumCalls=10, slidingWindow=PT30S, "
        + "consecutiveFailures=5, openDuration=PT30S, halfOpenProbes=1, "
        + "rateLimitCooldown=PT5S, maxCooldown=PT5M}");
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        bad(b -> b.failureRateThreshold(0), "failureRateThreshold", "0.0"),
        bad(b -> b.failureRateThreshold(-0.5), "failureRateThreshold", "-0.5"),
        bad(b -> b.failureRateThreshold(1.5), "failureRateThreshold", "1.5"),
        bad(b -> b.failureRateThreshold(50), "failureRateThreshold", "50.0"),
        bad(b -> b.failureRateThreshold(Double.NaN), "failureRateThreshold", "NaN"),
        bad(b -> b.minimumCalls(0), "minimumCalls", "0"),
        bad(b -> b.slidingWindow(Duration.ofMillis(999)), "slidingWindow", "PT0.999S"),
        bad(b -> b.consecutiveFailures(0), "consecutiveFailures", "0"),
        bad(b -> b.openDuration(Duration.ZERO), "openDuration", "PT0S"),
        bad(b -> b.openDuration(Duration.ofSeconds(-1)), "openDuration", "PT-1S"),
        bad(b -> b.halfOpenProbes(0), "halfOpenProbes", "0"),
        bad(b -> b.rateLimitCooldown(Duration.ofSeconds(-1)), "rateLimitCooldown", "PT-1S"),
        bad(b -> b.maxCooldown(Duration.ofSeconds(-1)), "maxCooldown", "PT-1S"));
  }

  private static Arguments bad(
      Consumer<CircuitBreakerPolicy.Builder> config, String setting, String value) {
    return Arguments.of(setting + " " + value, config, setting, value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void badValuesAreRejectedNamingTheSettingAndValue(String name,
      Consumer<CircuitBreakerPolicy.Builder> config, String setting, String value) {
    CircuitBreakerPolicy.Builder builder = CircuitBreakerPolicy.builder();

    assertThatThrownBy(() -> config.accept(builder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(setting)
        .hasMessageContaining("was " + value);
  }

  @Test
  void nullDurationsAreRejected() {
    CircuitBreakerPolicy.Builder builder = CircuitBreakerPolicy.builder();

    assertThatThrownBy(() -> builder.openDuration(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("openDuration");
  }

  @Test
  void aDefaultCooldownLongerThanTheCapIsRejectedAtBuild() {
    CircuitBreakerPolicy.Builder builder = CircuitBreakerPolicy.builder()
        .rateLimitCooldown(Duration.ofMinutes(10));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rateLimitCooldown PT10M")
        .hasMessageContaining("maxCooldown PT5M");
  }

  @Test
  void edgeValuesAreAccepted() {
    CircuitBreakerPolicy p = CircuitBreakerPolicy.builder()
        .failureRateThreshold(1)
        .minimumCalls(1)
        .slidingWindow(Duration.ofSeconds(1))
        .consecutiveFailures(1)
        .openDuration(Duration.ofMillis(1))
        .halfOpenProbes(1)
        .rateLimitCooldown(Duration.ZERO)
        .maxCooldown(Duration.ZERO)
        .build();

    assertThat(p.failureRateThreshold()).isEqualTo(1.0);
    assertThat(p.maxCooldown()).isZero();
  }
}
