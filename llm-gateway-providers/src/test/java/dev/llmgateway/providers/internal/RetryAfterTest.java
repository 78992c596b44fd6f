package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.Headers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  @ParameterizedTest(name = "{0}: {1} -> {2} ms")
  @CsvSource(delimiter = '|', value = {
      "retry-after-ms | 5420 | 5420",
      "retry-after | 2 | 2000",
      "retry-after | 1.5 | 1500",
      "retry-after | Wed, 25 Nov 2026 12:00:30 GMT | 30000",
      "retry-after | Wed, 25 Nov 2026 11:00:00 GMT | 0",
      "x-ratelimit-reset-requests | 1s | 1000",
      "x-ratelimit-reset-tokens | 6m0s | 360000",
      "x-ratelimit-reset-tokens | 20ms | 20",
      "x-ratelimit-reset-requests | 1h2m3.5s | 3723500"})
  void serverGivenDelaysAreRead(String header, String value, long millis) {
    assertThat(RetryAfter.parse(Headers.of(header, value), CLOCK))
        .isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "retry-after | soon",
      "retry-after-ms | -5",
      "x-ratelimit-reset-tokens | 5 parsecs",
      "x-other | 3"})
  void unreadableOrUnknownHeadersGiveNoDelay(String header, String value) {
    assertThat(RetryAfter.parse(Headers.of(header, value), CLOCK)).isNull();
  }

  @org.junit.jupiter.api.Test
  void millisecondsWinOverSecondsAndTheLongerResetWins() {
    assertThat(RetryAfter.parse(Headers.of("retry-after", "6", "retry-after-ms", "5420"), CLOCK))
        .isEqualTo(Duration.ofMillis(5420));
    assertThat(RetryAfter.parse(Headers.of("x-ratelimit-reset-requests", "1s",
        "x-ratelimit-reset-tokens", "6m0s"), CLOCK)).isEqualTo(Duration.ofMinutes(6));
  }
}
