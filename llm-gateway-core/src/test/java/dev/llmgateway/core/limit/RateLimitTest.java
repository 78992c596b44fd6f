package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RateLimit} and {@link RateLimits} as configured: names, words, checks, changes. */
@Timeout(10)
class RateLimitTest {

  @Test
  void namesAreDerivedFromScopeIdAndKind() {
    assertThat(RateLimit.requestsPerMinute(600).perTeam().name()).isEqualTo("team-rpm");
    assertThat(RateLimit.tokensPerMinute(100_000).perOrg().name()).isEqualTo("org-tpm");
    assertThat(RateLimit.concurrent(8).perKey().name()).isEqualTo("key-concurrent");
    assertThat(RateLimit.requestsPerMinute(50).forDeployment("openai/gpt-4o").name())
        .isEqualTo("deployment-openai/gpt-4o-rpm");
    assertThat(RateLimit.requestsPerMinute(5).forTeam("support").name())
        .isEqualTo("team-support-rpm");
    assertThat(RateLimit.requests(20, Duration.ofSeconds(10)).perUser().name())
        .isEqualTo("user-requests-per-10s");
    assertThat(RateLimit.tokens(1_000, Duration.ofHours(1)).name())
        .isEqualTo("global-tokens-per-1h");
    assertThat(RateLimit.requestsPerMinute(5).perUser().named("burst").perKey().name())
        .as("a given name stays").isEqualTo("burst");
  }

  @Test
  void describesItselfInWordsWithoutAUser() {
    assertThat(RateLimit.requestsPerMinute(600).perTeam().describe())
        .isEqualTo("600 requests per minute per team");
    assertThat(RateLimit.tokensPerMinute(5_000).forOrg("acme").describe())
        .isEqualTo("5000 tokens per minute for org acme");
    assertThat(RateLimit.concurrent(8).describe()).isEqualTo("8 calls at once gateway-wide");
    assertThat(RateLimit.requests(3, Duration.ofMillis(1_500)).perUser().describe())
        .isEqualTo("3 requests per 1500ms per user");
    assertThat(RateLimit.requestsPerMinute(50).forDeployment("openai/gpt-4o").toString())
        .isEqualTo("RateLimit[deployment-openai/gpt-4o-rpm: 50 attempts per minute at deployment"
            + " openai/gpt-4o]");
  }

  @Test
  void windowsAndBucketsAreKept() {
    RateLimit l = RateLimit.tokensPerMinute(10).window(Duration.ofSeconds(30)).buckets(15);

    assertThat(l.window()).isEqualTo(Duration.ofSeconds(30));
    assertThat(l.windowMillis()).isEqualTo(30_000);
    assertThat(l.bucketCount()).isEqualTo(15);
    assertThat(RateLimit.concurrent(2).window()).isNull();
    assertThat(RateLimit.requestsPerMinute(1).bucketCount()).isEqualTo(60);
  }

  @Test
  void badValuesAreRefusedSayingWhatToChange() {
    assertThatThrownBy(() -> RateLimit.requestsPerMinute(0))
        .hasMessageContaining("a rate limit must be 1 to");
    assertThatThrownBy(() -> RateLimit.concurrent(0))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> RateLimit.concurrent(3).window(Duration.ofSeconds(1)))
        .hasMessageContaining("a concurrency limit has no window");
    assertThatThrownBy(() -> RateLimit.requests(1, Duration.ofMillis(10)))
        .hasMessageContaining("from 60 ms (one per bucket) to one day");
    assertThatThrownBy(() -> RateLimit.requests(1, Duration.ofNanos(1_500_000_001L)))
        .hasMessageContaining("whole number of milliseconds");
    assertThatThrownBy(() -> RateLimit.requests(1, Duration.ofDays(2)))
        .hasMessageContaining("to one day");
    assertThatThrownBy(() -> RateLimit.requests(1, Duration.ofSeconds(1)).buckets(2_000))
        .hasMessageContaining("2000 buckets do not fit a window of 1000 ms");
    assertThatThrownBy(() -> RateLimit.requestsPerMinute(1).forDeployment("gpt-4o"))
        .hasMessageContaining("provider/model");
    assertThatThrownBy(() -> RateLimit.requestsPerMinute(1).named(" "))
        .hasMessageContaining("not blank");
    assertThatThrownBy(() -> RateLimits.of(RateLimit.requestsPerMinute(1).perTeam(),
        RateLimit.requestsPerMinute(2).perTeam()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two limits are named 'team-rpm'");
  }

  @Test
  void changesPublishANewListAndLeaveTheOldOneAsItWas() {
    RateLimits limits = RateLimits.of(RateLimit.requestsPerMinute(1).perTeam());
    List<RateLimit> before = limits.limits();
    assertThat(limits.limits()).isSameAs(before);

    limits.set(RateLimit.requestsPerMinute(2).perTeam());
    limits.set(RateLimit.concurrent(3).perKey());

    assertThat(before).singleElement().extracting(RateLimit::limit).isEqualTo(1L);
    assertThat(limits.limits()).extracting(RateLimit::name)
        .containsExactly("team-rpm", "key-concurrent");
    assertThat(limits.limit("team-rpm").limit()).isEqualTo(2);
    assertThat(limits.limit("nope")).isNull();
    assertThat(limits.toString()).isEqualTo(
        "RateLimits[[team-rpm, key-concurrent], store=InMemoryLimitStore]");
  }
}
