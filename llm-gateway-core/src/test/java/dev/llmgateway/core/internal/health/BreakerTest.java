package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.BudgetExceededException;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.PolicyViolationException;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.CircuitState;
import dev.llmgateway.core.resilience.DeploymentHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BreakerTest {
  private static final Breaker.Permit CLOSED = Breaker.Permit.CLOSED;
  private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");
  private static final Deployment DEPLOYMENT = new Deployment("openai", "gpt-4o");

  private final MutableClock clock = new MutableClock(START);
  private ExecutorService pool;

  @AfterEach
  void shutDownPool() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private Breaker breaker(CircuitBreakerPolicy policy) {
    return new Breaker(DEPLOYMENT, policy, clock);
  }

  private Breaker breaker() {
    return breaker(CircuitBreakerPolicy.defaults());
  }

  private static CircuitBreakerPolicy.Builder policy() {
    return CircuitBreakerPolicy.builder();
  }

  private static ProviderUnavailableException unavailable() {
    return new ProviderUnavailableException("HTTP 503");
  }

  private static GatewayTimeoutException timeout(GatewayTimeoutException.Kind kind) {
    return new GatewayTimeoutException(kind, Duration.ofSeconds(3), ErrorDetails.NONE, null);
  }

  private static RateLimitedException rateLimited(Duration retryAfter) {
    return new RateLimitedException("HTTP 429", retryAfter);
  }

  private static void fail(Breaker b, GatewayException error) {
    Breaker.Permit permit = b.acquire();
    assertThat(permit).as("permit before failing").isNotNull();
    b.onFailure(permit, error, 1_000_000);
  }

  private static void fail(Breaker b) {
    fail(b, unavailable());
  }

  private static void succeed(Breaker b) {
    Breaker.Permit permit = b.acquire();
    assertThat(permit).as("permit before succeeding").isNotNull();
    b.onSuccess(permit, 1_000_000);
  }

  /** A half-open breaker's probe permit. */
  private static Breaker.Permit probe(Breaker b) {
    Breaker.Permit permit = b.acquire();
    assertThat(permit).as("a probe's permit").isNotNull().isNotSameAs(CLOSED);
    return permit;
  }

  private static void failTimes(Breaker b, int n) {
    for (int i = 0; i < n; i++) {
      fail(b);
    }
  }

  private static void succeedTimes(Breaker b, int n) {
    for (int i = 0; i < n; i++) {
      succeed(b);
    }
  }

  /** A breaker that opened at START after one failure and turns half-open at START + 30 s. */
  private Breaker openedBreaker(CircuitBreakerPolicy.Builder policy) {
    Breaker b = breaker(policy.consecutiveFailures(1).build());
    fail(b);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    return b;
  }

  private Breaker halfOpenBreaker(int probes) {
    Breaker b = openedBreaker(policy().halfOpenProbes(probes));
    clock.advance(Duration.ofSeconds(30));
    return b;
  }

  @Nested
  class Closed {
    @Test
    void grantsAttemptsAndReportsNoReason() {
      Breaker b = breaker();

      assertThat(b.acquire()).isNotNull();
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      assertThat(b.unavailableReason()).isNull();
      assertThat(b.inFlight()).isEqualTo(1);
    }

    @Test
    void opensAfterConsecutiveFailuresRegardlessOfMinimumCalls() {
      Breaker b = breaker();

      failTimes(b, 4);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      fail(b);

      assertThat(b.state()).isEqualTo(CircuitState.OPEN);
      assertThat(b.acquire()).isNull();
      assertThat(b.unavailableReason()).isEqualTo("circuit open until 2025-01-01T12:00:30Z"
          + " after 5 consecutive failures (last: ProviderUnavailableException)");
    }

    @Test
    void successResetsConsecutiveFailures() {
      Breaker b = breaker();

      failTimes(b, 4);
      succeed(b);
      failTimes(b, 4);

      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      assertThat(b.snapshot().consecutiveFailures()).isEqualTo(4);
    }

    @Test
    void opensByFailureRateOnlyOnceMinimumCallsAreReached() {
      Breaker b = breaker(policy().consecutiveFailures(100).build());

      failTimes(b, 6);
      succeedTimes(b, 3);
      assertThat(b.snapshot().failureRate()).isEqualTo(6 / 9.0);
      assertThat(b.state()).as("9 calls < minimumCalls 10").isEqualTo(CircuitState.CLOSED);
      fail(b);

      assertThat(b.state()).isEqualTo(CircuitState.OPEN);
      assertThat(b.unavailableReason())
          .contains("after 7 failures in 10 attempts (70%) within PT30S");
    }

    @Test
    void opensAtExactlyTheThresholdRate() {
      Breaker b = breaker(policy().consecutiveFailures(100).failureRateThreshold(0.3).build());

      succeedTimes(b, 7);
      failTimes(b, 2);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      fail(b);

      assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void staysClosedBelowTheThresholdRate() {
      Breaker b = breaker(policy().consecutiveFailures(100).build());

      for (int i = 0; i < 10; i++) {
        succeedTimes(b, 3);
        failTimes(b, 2);
      }

      assertThat(b.snapshot().failureRate()).isEqualTo(0.4);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void failuresAgeOutOfTheWindow() {
      Breaker b = breaker(policy().consecutiveFailures(100).build());
      failTimes(b, 9);

      clock.advance(Duration.ofSeconds(27));
      assertThat(b.snapshot().callsInWindow()).as("last bucket still in").isEqualTo(9);
      clock.advance(Duration.ofSeconds(3));
      assertThat(b.snapshot().callsInWindow()).as("30 s later").isZero();
      fail(b);

      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      DeploymentHealth health = b.snapshot();
      assertThat(health.callsInWindow()).isEqualTo(1);
      assertThat(health.failuresInWindow()).isEqualTo(1);
      assertThat(health.consecutiveFailures()).as("not time-bound").isEqualTo(10);
    }

    @Test
    void windowSumsOnlyRecentBuckets() {
      Breaker b = breaker(policy().consecutiveFailures(100).build());
      failTimes(b, 5);
      clock.advance(Duration.ofSeconds(15));
      failTimes(b, 4);
      clock.advance(Duration.ofSeconds(15));

      assertThat(b.snapshot().callsInWindow()).as("the first 5 aged out").isEqualTo(4);
      fail(b);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      clock.advance(Duration.ofSeconds(14));
      fail(b);
      assertThat(b.snapshot().callsInWindow()).isEqualTo(6);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void staleBucketIsResetBeforeReuse() {
      Breaker b = breaker(policy().consecutiveFailures(100).build());
      failTimes(b, 5);
      clock.advance(Duration.ofSeconds(30)); // the same bucket index, ten epochs later

      succeed(b);

      DeploymentHealth health = b.snapshot();
      assertThat(health.callsInWindow()).isEqualTo(1);
      assertThat(health.failuresInWindow()).isZero();
    }
  }

  @Nested
  class OpenAndHalfOpen {
    @Test
    void turnsHalfOpenOnlyAfterTheOpenDuration() {
      Breaker b = openedBreaker(policy());

      clock.advance(Duration.ofMillis(29_999));
      assertThat(b.acquire()).isNull();
      assertThat(b.state()).isEqualTo(CircuitState.OPEN);
      clock.advance(Duration.ofMillis(1));

      assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
      assertThat(b.unavailableReason()).isNull();
      assertThat(b.acquire()).isNotNull();
    }

    @Test
    void halfOpenLetsOnlyTheConfiguredProbesThrough() {
      Breaker b = halfOpenBreaker(3);

      assertThat(b.acquire()).isNotNull();
      assertThat(b.acquire()).isNotNull();
      assertThat(b.acquire()).isNotNull();
      assertThat(b.acquire()).isNull();

      assertThat(b.inFlight()).isEqualTo(3);
      assertThat(b.unavailableReason())
          .isEqualTo("circuit half-open with 3 of 3 probe(s) in flight");
    }

    @Test
    void probeSuccessesCloseTheCircuitAndResetTheWindow() {
      Breaker b = halfOpenBreaker(2);
      Breaker.Permit first = probe(b);
      Breaker.Permit second = probe(b);

      b.onSuccess(first, 1_000);
      assertThat(b.state()).as("one of two successes").isEqualTo(CircuitState.HALF_OPEN);
      assertThat(b.acquire()).as("a success keeps its place: two probes, two verdicts")
          .isNull();
      assertThat(b.unavailableReason())
          .isEqualTo("circuit half-open with 1 of 2 probe(s) in flight and 1 succeeded");
      b.onSuccess(second, 1_000);

      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      DeploymentHealth health = b.snapshot();
      assertThat(health.callsInWindow()).isZero();
      assertThat(health.consecutiveFailures()).isZero();
      assertThat(health.inFlight()).isZero();
      assertThat(b.acquire()).isSameAs(CLOSED);
    }

    @Test
    void halfOpenAdmitsExactlyTheConfiguredProbesUntilItsVerdict() {
      Breaker b = halfOpenBreaker(3);
      List<Breaker.Permit> probes = List.of(probe(b), probe(b), probe(b));
      assertThat(b.acquire()).isNull();

      b.onSuccess(probes.get(0), 1_000);
      b.onSuccess(probes.get(1), 1_000);
      assertThat(b.acquire()).as("two succeeded, one in flight").isNull();
      b.onSuccess(probes.get(2), 1_000);

      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aFailedProbeReopensForTheOpenDuration() {
      Breaker b = halfOpenBreaker(2);
      b.onSuccess(probe(b), 1_000);
      Breaker.Permit second = probe(b);

      b.onFailure(second, timeout(GatewayTimeoutException.Kind.FIRST_TOKEN), 1_000);

      assertThat(b.state()).isEqualTo(CircuitState.OPEN);
      assertThat(b.snapshot().openUntil()).isEqualTo(START.plusSeconds(60));
      assertThat(b.unavailableReason()).isEqualTo("circuit open until 2025-01-01T12:01:00Z"
          + " after a failed probe (last: GatewayTimeoutException)");
      assertThat(b.acquire()).isNull();
    }

    @Test
    void aCancelledProbeReleasesItsSlot() {
      Breaker b = halfOpenBreaker(1);
      Breaker.Permit probe = probe(b);
      assertThat(b.acquire()).isNull();

      b.onCancelled(probe);

      assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
      assertThat(b.inFlight()).isZero();
      assertThat(b.acquire()).isNotNull();
    }

    @Test
    void anIgnoredErrorReleasesTheProbeWithoutClosing() {
      Breaker b = halfOpenBreaker(1);
      Breaker.Permit probe = probe(b);

      b.onFailure(probe, new InvalidRequestException("bad schema"), 1_000);

      assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
      assertThat(b.acquire()).isNotNull();
    }

    @Test
    void aRateLimitedProbeReleasesItsSlotAndCoolsDown() {
      Breaker b = halfOpenBreaker(1);
      Breaker.Permit probe = probe(b);

      b.onFailure(probe, rateLimited(Duration.ofSeconds(2)), 1_000);

      assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
      assertThat(b.acquire()).isNull();
      assertThat(b.unavailableReason()).startsWith("cooling down after a rate limit");
      clock.advance(Duration.ofSeconds(2));
      assertThat(b.acquire()).isNotNull();
    }

    @Test
    void aLateOutcomeOfAnAttemptStartedBeforeOpeningChangesNothing() {
      Breaker b = breaker(policy().consecutiveFailures(1).build());
      assertThat(b.acquire()).isNotNull();
      assertThat(b.acquire()).isNotNull();
      assertThat(b.acquire()).isNotNull();
      b.onFailure(CLOSED, unavailable(), 1_000);
      clock.advance(Duration.ofSeconds(10));

      b.onFailure(CLOSED, unavailable(), 1_000);
      b.onSuccess(CLOSED, 1_000);

      assertThat(b.state()).isEqualTo(CircuitState.OPEN);
      assertThat(b.snapshot().openUntil()).as("not extended").isEqualTo(START.plusSeconds(30));
      assertThat(b.snapshot().callsInWindow()).as("still statistics").isEqualTo(3);
      assertThat(b.inFlight()).isZero();
    }

    @Test
    void anAttemptGrantedBeforeOpeningIsNoProbe() {
      Breaker b = breaker(policy().consecutiveFailures(1).halfOpenProbes(1).build());
      assertThat(b.acquire()).isSameAs(CLOSED);
      assertThat(b.acquire()).isSameAs(CLOSED);
      assertThat(b.acquire()).isSameAs(CLOSED);
      b.onFailure(CLOSED, unavailable(), 1_000); // opens
      clock.advance(Duration.ofSeconds(30));
      Breaker.Permit probe = probe(b);

      b.onCancelled(CLOSED); // an old attempt ends without a verdict: frees no probe's slot
      assertThat(b.acquire()).as("still one probe at a time").isNull();
      b.onSuccess(CLOSED, 1_000); // nor does an old success close the circuit
      assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
      assertThat(b.acquire()).isNull();

      b.onSuccess(probe, 1_000);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void anOldAttemptsFailureLeavesTheVerdictToTheProbes() {
      Breaker b = breaker(policy().consecutiveFailures(1).halfOpenProbes(1)
          .slidingWindow(Duration.ofSeconds(60)).build());
      assertThat(b.acquire()).isSameAs(CLOSED);
      assertThat(b.acquire()).isSameAs(CLOSED);
      b.onFailure(CLOSED, unavailable(), 1_000);
      clock.advance(Duration.ofSeconds(30));
      Breaker.Permit probe = probe(b);

      b.onFailure(CLOSED, unavailable(), 1_000);

      assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
      assertThat(b.snapshot().failuresInWindow()).as("still statistics").isEqualTo(2);
      b.onSuccess(probe, 1_000);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aProbeOfAnEarlierHalfOpenSpellIsNoProbeOfTheNext() {
      Breaker b = halfOpenBreaker(2);
      Breaker.Permit failing = probe(b);
      Breaker.Permit slow = probe(b);
      b.onFailure(failing, unavailable(), 1_000); // opens again until START + 60 s
      clock.advance(Duration.ofSeconds(30));
      Breaker.Permit fresh = probe(b);
      assertThat(fresh).isNotSameAs(slow);

      b.onCancelled(slow);
      b.onSuccess(probe(b), 1_000);
      assertThat(b.acquire()).as("the slow one freed nothing: two probes taken").isNull();
      b.onSuccess(fresh, 1_000);

      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void theOpenDurationPassesOnTheInjectedClockOnly() {
      Breaker b = openedBreaker(policy().openDuration(Duration.ofMillis(1)));

      assertThat(b.state()).as("no wall-clock time counts").isEqualTo(CircuitState.OPEN);
      assertThat(b.acquire()).isNull();
      clock.advance(Duration.ofMillis(1));
      assertThat(b.acquire()).isNotNull();
    }
  }

  @Nested
  class Cooldown {
    @Test
    void rateLimitCoolsDownForTheServersRetryAfter() {
      Breaker b = breaker();

      fail(b, rateLimited(Duration.ofSeconds(20)));

      assertThat(b.acquire()).isNull();
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      assertThat(b.unavailableReason()).isEqualTo("cooling down after a rate limit (429, retry"
          + " after PT20S) until 2025-01-01T12:00:20Z");
      DeploymentHealth health = b.snapshot();
      assertThat(health.coolingDownUntil()).isEqualTo(START.plusSeconds(20));
      assertThat(health.callsInWindow()).as("a 429 is no failure").isZero();
      assertThat(health.consecutiveFailures()).isZero();
      assertThat(health.available()).isFalse();

      clock.advance(Duration.ofMillis(19_999));
      assertThat(b.acquire()).isNull();
      clock.advance(Duration.ofMillis(1));
      assertThat(b.acquire()).isNotNull();
      assertThat(b.unavailableReason()).isNull();
      assertThat(b.snapshot().coolingDownUntil()).isNull();
    }

    @Test
    void rateLimitWithoutRetryAfterUsesTheDefaultCooldown() {
      Breaker b = breaker();

      fail(b, new RateLimitedException("HTTP 429", null));

      assertThat(b.snapshot().coolingDownUntil()).isEqualTo(START.plusSeconds(5));
      assertThat(b.unavailableReason())
          .isEqualTo("cooling down after a rate limit (429) until 2025-01-01T12:00:05Z");
    }

    @Test
    void cooldownIsCappedByMaxCooldown() {
      Breaker b = breaker();

      fail(b, rateLimited(Duration.ofHours(1)));

      assertThat(b.snapshot().coolingDownUntil()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aLaterShorterCooldownDoesNotShortenARunningOne() {
      Breaker b = breaker();
      assertThat(b.acquire()).isNotNull();
      assertThat(b.acquire()).isNotNull();
      assertThat(b.acquire()).isNotNull();

      b.onFailure(CLOSED, rateLimited(Duration.ofSeconds(20)), 0);
      b.onFailure(CLOSED, rateLimited(Duration.ofSeconds(2)), 0);
      assertThat(b.snapshot().coolingDownUntil()).isEqualTo(START.plusSeconds(20));

      b.onFailure(CLOSED, rateLimited(Duration.ofSeconds(40)), 0);
      assertThat(b.snapshot().coolingDownUntil()).as("a longer one extends")
          .isEqualTo(START.plusSeconds(40));
    }

    @Test
    void zeroOrNegativeRetryAfterStartsNoCooldown() {
      Breaker b = breaker();

      fail(b, rateLimited(Duration.ZERO));
      fail(b, rateLimited(Duration.ofSeconds(-5)));

      assertThat(b.acquire()).isNotNull();
      assertThat(b.snapshot().coolingDownUntil()).isNull();
    }

    @Test
    void exhaustedQuotaCoolsDownForTheDefaultCooldown() {
      Breaker b = breaker(policy().rateLimitCooldown(Duration.ofSeconds(60)).build());

      fail(b, new QuotaExhaustedException("insufficient_quota"));

      assertThat(b.acquire()).isNull();
      assertThat(b.unavailableReason()).isEqualTo(
          "cooling down after the provider's quota ran out until 2025-01-01T12:01:00Z");
      assertThat(b.snapshot().callsInWindow()).isZero();
      clock.advance(Duration.ofSeconds(60));
      assertThat(b.acquire()).isNotNull();
    }

    @Test
    void zeroDefaultCooldownMeansNone() {
      Breaker b = breaker(policy().rateLimitCooldown(Duration.ZERO).build());

      fail(b, new RateLimitedException("HTTP 429", null));

      assertThat(b.acquire()).isNotNull();
    }

    @Test
    void theOpenReasonWinsWhileBothOpenAndCooling() {
      Breaker b = breaker(policy().consecutiveFailures(1).build());
      assertThat(b.acquire()).isNotNull();
      assertThat(b.acquire()).isNotNull();
      b.onFailure(CLOSED, rateLimited(Duration.ofMinutes(2)), 0);

      b.onFailure(CLOSED, unavailable(), 0);

      assertThat(b.unavailableReason()).startsWith("circuit open until");
      clock.advance(Duration.ofSeconds(30));
      assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
      assertThat(b.acquire()).as("still cooling").isNull();
      assertThat(b.unavailableReason()).startsWith("cooling down");
    }
  }

  static Stream<Arguments> ignoredErrors() {
    return Stream.of(
        Arguments.of(new InvalidRequestException("bad")),
        Arguments.of(new ContextLengthExceededException("too long")),
        Arguments.of(new ModelNotFoundException("no such model")),
        Arguments.of(new UnsupportedCapabilityException("no tools")),
        Arguments.of(new ContentFilteredException("filtered")),
        Arguments.of(new AuthenticationException("bad key")),
        Arguments.of(new AccessDeniedException("denied")),
        Arguments.of(new PolicyViolationException("pii")),
        Arguments.of(new BudgetExceededException("over budget")),
        Arguments.of(new GatewayInternalException("bug")),
        Arguments.of(timeout(GatewayTimeoutException.Kind.TOTAL)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ignoredErrors")
  void errorsThatAreNotTheDeploymentsFaultAreIgnored(GatewayException error) {
    Breaker b = breaker(policy().consecutiveFailures(1).minimumCalls(1).build());

    fail(b, error);
    fail(b, error);

    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.acquire()).isNotNull();
    DeploymentHealth health = b.snapshot();
    assertThat(health.callsInWindow()).isZero();
    assertThat(health.consecutiveFailures()).isZero();
    assertThat(health.inFlight()).as("the permits still ended").isEqualTo(1);
  }

  static Stream<Arguments> countedErrors() {
    return Stream.of(
        Arguments.of(unavailable()),
        Arguments.of(new ProviderOverloadedException("529 overloaded_error")),
        Arguments.of(timeout(GatewayTimeoutException.Kind.ATTEMPT)),
        Arguments.of(timeout(GatewayTimeoutException.Kind.FIRST_TOKEN)),
        Arguments.of(timeout(GatewayTimeoutException.Kind.IDLE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("countedErrors")
  void unavailabilityAndStallsCountAsFailures(GatewayException error) {
    Breaker b = breaker(policy().consecutiveFailures(2).build());

    fail(b, error);
    assertThat(b.snapshot().failuresInWindow()).isEqualTo(1);
    fail(b, error);

    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.unavailableReason()).endsWith("(last: " + error.getClass().getSimpleName() + ")");
  }

  @Test
  void inFlightCountsPermitsNotYetEnded() {
    Breaker b = breaker();
    assertThat(b.acquire()).isNotNull();
    assertThat(b.acquire()).isNotNull();
    assertThat(b.acquire()).isNotNull();
    assertThat(b.acquire()).isNotNull();
    assertThat(b.inFlight()).isEqualTo(4);

    b.onSuccess(CLOSED, 1_000);
    b.onFailure(CLOSED, unavailable(), 1_000);
    b.onFailure(CLOSED, new InvalidRequestException("bad"), 1_000);
    assertThat(b.snapshot().inFlight()).isEqualTo(1);
    b.onCancelled(CLOSED);

    assertThat(b.inFlight()).isZero();
  }

  @Test
  void refusedAttemptsAreNotInFlight() {
    Breaker b = openedBreaker(policy());

    assertThat(b.acquire()).isNull();

    assertThat(b.inFlight()).isZero();
  }

  @Nested
  class Latency {
    @Test
    void percentilesUseNearestRank() {
      Breaker b = breaker();
      List<Long> millis = new ArrayList<>();
      for (long i = 1; i <= 10; i++) {
        millis.add(i * 10);
      }
      Collections.shuffle(millis, new Random(42));
      for (long ms : millis) {
        assertThat(b.acquire()).isNotNull();
        b.onSuccess(CLOSED, TimeUnit.MILLISECONDS.toNanos(ms));
      }

      assertThat(b.latencyPercentileNanos(0)).isEqualTo(ms(10));
      assertThat(b.latencyPercentileNanos(0.1)).isEqualTo(ms(10));
      assertThat(b.latencyPercentileNanos(0.11)).isEqualTo(ms(20));
      assertThat(b.latencyPercentileNanos(0.5)).isEqualTo(ms(50));
      assertThat(b.latencyPercentileNanos(0.9)).isEqualTo(ms(90));
      assertThat(b.latencyPercentileNanos(0.95)).isEqualTo(ms(100));
      assertThat(b.latencyPercentileNanos(1)).isEqualTo(ms(100));
      DeploymentHealth health = b.snapshot();
      assertThat(health.latencySamples()).isEqualTo(10);
      assertThat(health.latencyP50()).isEqualTo(Duration.ofMillis(50));
      assertThat(health.latencyP90()).isEqualTo(Duration.ofMillis(90));
      assertThat(health.latencyP99()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void percentilesOfOneHundredSamples() {
      Breaker b = breaker();
      for (long i = 100; i >= 1; i--) {
        assertThat(b.acquire()).isNotNull();
        b.onSuccess(CLOSED, i);
      }

      assertThat(b.latencyPercentileNanos(0.5)).isEqualTo(50);
      assertThat(b.latencyPercentileNanos(0.07)).as("0.07 * 100 is 7.000000000000001")
          .isEqualTo(7);
      assertThat(b.latencyPercentileNanos(0.99)).isEqualTo(99);
      assertThat(b.latencyPercentileNanos(0.995)).isEqualTo(100);
    }

    @Test
    void noSamplesMeansMinusOneAndNullPercentiles() {
      Breaker b = breaker();
      fail(b);

      assertThat(b.latencyPercentileNanos(0.5)).isEqualTo(-1);
      DeploymentHealth health = b.snapshot();
      assertThat(health.latencySamples()).isZero();
      assertThat(health.latencyP50()).isNull();
      assertThat(health.latencyP90()).isNull();
      assertThat(health.latencyP99()).isNull();
    }

    @Test
    void theRingKeepsOnlyTheLast256Successes() {
      Breaker b = breaker();
      for (long i = 1; i <= 300; i++) {
        assertThat(b.acquire()).isNotNull();
        b.onSuccess(CLOSED, i);
      }

      assertThat(b.latencyPercentileNanos(0)).isEqualTo(45);
      assertThat(b.latencyPercentileNanos(1)).isEqualTo(300);
      assertThat(b.latencyPercentileNanos(0.5)).isEqualTo(44 + 128);
      assertThat(b.snapshot().latencySamples()).isEqualTo(256);
    }

    @Test
    void failuresAddNoLatencySamples() {
      Breaker b = breaker();
      succeed(b);
      fail(b);

      assertThat(b.snapshot().latencySamples()).isEqualTo(1);
    }

    @Test
    void aNegativeLatencyCountsAsZero() {
      Breaker b = breaker();
      assertThat(b.acquire()).isNotNull();

      b.onSuccess(CLOSED, -5);

      assertThat(b.latencyPercentileNanos(0.5)).isZero();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.01, 95, Double.NaN})
    void percentileOutsideZeroToOneIsRejected(double percentile) {
      Breaker b = breaker();

      assertThatThrownBy(() -> b.latencyPercentileNanos(percentile))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("percentile")
          .hasMessageContaining(String.valueOf(percentile));
    }

    private long ms(long millis) {
      return TimeUnit.MILLISECONDS.toNanos(millis);
    }
  }

  @Nested
  class Snapshot {
    @Test
    void closedSnapshotHoldsTheStatistics() {
      Breaker b = breaker();
      succeedTimes(b, 3);
      failTimes(b, 1);
      assertThat(b.acquire()).isNotNull();

      DeploymentHealth health = b.snapshot();

      assertThat(health.deployment()).isEqualTo(DEPLOYMENT);
      assertThat(health.state()).isEqualTo(CircuitState.CLOSED);
      assertThat(health.openUntil()).isNull();
      assertThat(health.coolingDownUntil()).isNull();
      assertThat(health.failureRate()).isEqualTo(0.25);
      assertThat(health.callsInWindow()).isEqualTo(4);
      assertThat(health.failuresInWindow()).isEqualTo(1);
      assertThat(health.consecutiveFailures()).isEqualTo(1);
      assertThat(health.inFlight()).isEqualTo(1);
      assertThat(health.latencySamples()).isEqualTo(3);
      assertThat(health.latencyP50()).isEqualTo(Duration.ofMillis(1));
      assertThat(health.available()).isTrue();
    }

    @Test
    void aFreshBreakerHasAZeroFailureRate() {
      DeploymentHealth health = breaker().snapshot();

      assertThat(health.failureRate()).isZero();
      assertThat(health.callsInWindow()).isZero();
      assertThat(health.available()).isTrue();
    }

    @Test
    void openSnapshotIsUnavailableUntilItTurnsHalfOpen() {
      Breaker b = openedBreaker(policy());

      DeploymentHealth open = b.snapshot();
      assertThat(open.state()).isEqualTo(CircuitState.OPEN);
      assertThat(open.openUntil()).isEqualTo(START.plusSeconds(30));
      assertThat(open.available()).isFalse();

      clock.advance(Duration.ofSeconds(30));
      DeploymentHealth halfOpen = b.snapshot();
      assertThat(halfOpen.state()).isEqualTo(CircuitState.HALF_OPEN);
      assertThat(halfOpen.openUntil()).isNull();
      assertThat(halfOpen.available()).isTrue();
    }
  }

  @Test
  void aDisabledPolicyNeverOpensNorCoolsButKeepsStatistics() {
    Breaker b = breaker(CircuitBreakerPolicy.disabled());

    failTimes(b, 50);
    fail(b, rateLimited(Duration.ofMinutes(1)));
    fail(b, new QuotaExhaustedException("insufficient_quota"));
    succeed(b);
    failTimes(b, 20);

    assertThat(b.acquire()).isNotNull();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.unavailableReason()).isNull();
    DeploymentHealth health = b.snapshot();
    assertThat(health.callsInWindow()).isEqualTo(71);
    assertThat(health.failuresInWindow()).isEqualTo(70);
    assertThat(health.consecutiveFailures()).isEqualTo(20);
    assertThat(health.coolingDownUntil()).isNull();
    assertThat(health.latencySamples()).isEqualTo(1);
    assertThat(health.inFlight()).isEqualTo(1);
    assertThat(health.available()).isTrue();
  }

  @Test
  void toStringNamesTheDeploymentAndState() {
    assertThat(breaker()).hasToString("Breaker{openai/gpt-4o CLOSED}");
  }

  @Nested
  class Concurrency {
    @Test
    void concurrentAttemptsAreCountedExactly() throws Exception {
      Breaker b = breaker();
      int threads = 8;
      int perThread = 10_000;
      pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          int granted = 0;
          for (int i = 0; i < perThread; i++) {
            if (b.acquire() != null) {
              granted++;
              b.onSuccess(CLOSED, 1_000 + i);
            }
          }
          return granted;
        }));
      }

      start.countDown();
      int granted = 0;
      for (Future<Integer> result : results) {
        granted += result.get(30, TimeUnit.SECONDS);
      }

      assertThat(granted).isEqualTo(threads * perThread);
      DeploymentHealth health = b.snapshot();
      assertThat(health.inFlight()).isZero();
      assertThat(health.callsInWindow()).isEqualTo(threads * perThread);
      assertThat(health.failuresInWindow()).isZero();
      assertThat(health.latencySamples()).isEqualTo(Breaker.LATENCY_SAMPLES);
    }

    @Test
    void concurrentProbesNeverExceedTheLimit() throws Exception {
      Breaker b = halfOpenBreaker(3);
      int threads = 16;
      pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          return b.acquire() != null;
        }));
      }

      start.countDown();
      int granted = 0;
      for (Future<Boolean> result : results) {
        if (result.get(30, TimeUnit.SECONDS)) {
          granted++;
        }
      }

      assertThat(granted).isEqualTo(3);
      assertThat(b.inFlight()).isEqualTo(3);
    }
  }
}
