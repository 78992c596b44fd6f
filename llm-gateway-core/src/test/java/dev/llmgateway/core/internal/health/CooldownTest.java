package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.Race;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CooldownTest {
  private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final Cooldown cooldown = new Cooldown(CircuitBreakerPolicy.defaults());

  private static RateLimitedException rateLimited(@Nullable Duration retryAfter) {
    return new RateLimitedException("HTTP 429", retryAfter);
  }

  private long now() {
    return clock.millis();
  }

  @Test
  void aDeploymentThatNeverCooledHasNoEnd() {
    assertThat(cooldown.untilMillis()).isZero();
    assertThat(cooldown.until(now())).isNull();
    assertThat(cooldown.reason(now())).isNull();
  }

  @Test
  void theCooldownEndsExactlyAtRetryAfterOnTheClock() {
    cooldown.start(now(), rateLimited(Duration.ofSeconds(20)));

    assertThat(cooldown.untilMillis()).isEqualTo(START.plusSeconds(20).toEpochMilli());
    clock.advance(Duration.ofMillis(19_999));
    assertThat(cooldown.until(now())).isEqualTo(START.plusSeconds(20));
    assertThat(cooldown.reason(now())).isEqualTo(
        "cooling down after a rate limit (429, retry after PT20S) until 2025-01-01T12:00:20Z");
    clock.advance(Duration.ofMillis(1));
    assertThat(cooldown.until(now())).isNull();
    assertThat(cooldown.reason(now())).isNull();
  }

  @Test
  void noRetryAfterMeansTheDefaultCooldown() {
    cooldown.start(now(), rateLimited(null));

    assertThat(cooldown.until(now())).isEqualTo(START.plusSeconds(5));
    assertThat(cooldown.reason(now()))
        .isEqualTo("cooling down after a rate limit (429) until 2025-01-01T12:00:05Z");
  }

  @Test
  void anExhaustedQuotaCoolsForTheDefaultCooldown() {
    cooldown.start(now(), new QuotaExhaustedException("insufficient_quota"));

    assertThat(cooldown.reason(now())).isEqualTo(
        "cooling down after the provider's quota ran out until 2025-01-01T12:00:05Z");
  }

  @Test
  void retryAfterIsCappedAtMaxCooldown() {
    cooldown.start(now(), rateLimited(Duration.ofHours(1)));

    assertThat(cooldown.until(now())).isEqualTo(START.plus(Duration.ofMinutes(5)));
  }

  @Test
  void retryAfterOfExactlyMaxCooldownIsKept() {
    cooldown.start(now(), rateLimited(Duration.ofMinutes(5)));

    assertThat(cooldown.until(now())).isEqualTo(START.plus(Duration.ofMinutes(5)));
  }

  @Test
  void aShorterCooldownKeepsTheRunningOneAndItsReason() {
    cooldown.start(now(), rateLimited(Duration.ofSeconds(20)));
    clock.advance(Duration.ofSeconds(1));

    cooldown.start(now(), new QuotaExhaustedException("insufficient_quota")); // ends at 6 s
    cooldown.start(now(), rateLimited(Duration.ofSeconds(19))); // ends at 20 s too

    assertThat(cooldown.reason(now())).isEqualTo(
        "cooling down after a rate limit (429, retry after PT20S) until 2025-01-01T12:00:20Z");
  }

  @Test
  void aLongerCooldownExtendsTheRunningOneWithItsReason() {
    cooldown.start(now(), rateLimited(Duration.ofSeconds(20)));
    clock.advance(Duration.ofSeconds(1));

    cooldown.start(now(), rateLimited(Duration.ofSeconds(40)));

    assertThat(cooldown.reason(now())).isEqualTo(
        "cooling down after a rate limit (429, retry after PT40S) until 2025-01-01T12:00:41Z");
  }

  @Test
  void zeroOrNegativeRetryAfterStartsNone() {
    cooldown.start(now(), rateLimited(Duration.ZERO));
    cooldown.start(now(), rateLimited(Duration.ofSeconds(-5)));

    assertThat(cooldown.untilMillis()).isZero();
  }

  @Test
  void aZeroDefaultMeansNoCooldownWithoutRetryAfter() {
    Cooldown none = new Cooldown(
        CircuitBreakerPolicy.builder().rateLimitCooldown(Duration.ZERO).build());

    none.start(now(), rateLimited(null));

    assertThat(none.untilMillis()).isZero();
  }

  @Test
  void aDisabledPolicyNeverCools() {
    Cooldown disabled = new Cooldown(CircuitBreakerPolicy.disabled());

    disabled.start(now(), rateLimited(Duration.ofMinutes(1)));

    assertThat(disabled.untilMillis()).isZero();
  }

  /** Racing starts of different lengths: the longest always wins, with its own reason. */
  @Test
  void racingStartsKeepTheLongestCooldown() throws Exception {
    int racers = 4;
    try (Race race = new Race(racers)) {
      race.run(0x5eed_0002L, 3_000, r -> {
        Cooldown c = new Cooldown(CircuitBreakerPolicy.defaults());
        long at = now();
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> list = new ArrayList<>();
            for (int t = 1; t <= racers; t++) {
              Duration retryAfter = Duration.ofSeconds(t + (long) r % 7);
              list.add(() -> c.start(at, rateLimited(retryAfter)));
            }
            return list;
          }

          @Override
          public void check() {
            Duration longest = Duration.ofSeconds(racers + (long) r % 7);
            assertThat(c.until(at)).isEqualTo(START.plus(longest));
            assertThat(c.reason(at)).contains("retry after " + longest + ")");
          }
        };
      });
    }
  }
}
