package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.CircuitState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The state machine alone; the breaker's own lock is not needed by a single thread. */
@Timeout(60)
class CircuitTest {
  private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");
  private static final long T0 = START.toEpochMilli();
  private static final Class<?> ERROR = ProviderUnavailableException.class;
  private static final Breaker.Permit CLOSED = Breaker.Permit.CLOSED;

  private FailureWindow window;

  private Circuit circuit(CircuitBreakerPolicy.Builder policy) {
    CircuitBreakerPolicy built = policy.build();
    window = new FailureWindow(built);
    return new Circuit(built, window);
  }

  /** Opened at T0 by one failure; turns half-open at T0 + 30 s. */
  private Circuit opened(int probes) {
    Circuit c = circuit(CircuitBreakerPolicy.builder().consecutiveFailures(1)
        .halfOpenProbes(probes));
    assertThat(c.failed(T0, CLOSED, ERROR, window.recordFailure(T0))).isNotNull();
    return c;
  }

  private Circuit halfOpen(int probes) {
    Circuit c = opened(probes);
    c.advance(T0 + 30_000);
    assertThat(c.kind()).isEqualTo(CircuitState.HALF_OPEN);
    return c;
  }

  @Test
  void aClosedCircuitGrantsEverythingAndNeedsNoReason() {
    Circuit c = circuit(CircuitBreakerPolicy.builder());

    assertThat(c.isClosed()).isTrue();
    assertThat(c.tryAcquire()).isSameAs(CLOSED);
    assertThat(c.tryAcquire()).isSameAs(CLOSED);
    assertThat(c.refusal()).isNull();
    assertThat(c.openUntil()).isNull();
  }

  @Test
  void aClosedCircuitOpensWhenTheWindowTrips() {
    Circuit c = circuit(CircuitBreakerPolicy.builder().consecutiveFailures(2));

    assertThat(c.failed(T0, CLOSED, ERROR, window.recordFailure(T0))).isNull();
    String opened = c.failed(T0, CLOSED, ERROR, window.recordFailure(T0));

    assertThat(opened).isEqualTo("opened until 2025-01-01T12:00:30Z after 2 consecutive failures"
        + " (last: ProviderUnavailableException)");
    assertThat(c.kind()).isEqualTo(CircuitState.OPEN);
    assertThat(c.isClosed()).isFalse();
    assertThat(c.openUntil()).isEqualTo(START.plusSeconds(30));
    assertThat(c.tryAcquire()).isNull();
    assertThat(c.refusal()).isEqualTo("circuit open until 2025-01-01T12:00:30Z after 2"
        + " consecutive failures (last: ProviderUnavailableException)");
  }

  @Test
  void anOpenCircuitTurnsHalfOpenAtItsEndNotBefore() {
    Circuit c = opened(1);

    c.advance(T0 + 29_999);
    assertThat(c.kind()).isEqualTo(CircuitState.OPEN);
    c.advance(T0 + 30_000);

    assertThat(c.kind()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(c.openUntil()).isNull();
    assertThat(c.refusal()).isNull();
  }

  @Test
  void aFailureWhileOpenChangesNothing() {
    Circuit c = opened(1);

    assertThat(c.failed(T0 + 10_000, CLOSED, ERROR, window.recordFailure(T0 + 10_000)))
        .isNull();

    assertThat(c.openUntil()).as("not extended").isEqualTo(START.plusSeconds(30));
  }

  @Test
  void halfOpenGrantsItsProbesAndSaysWhenFull() {
    Circuit c = halfOpen(2);

    Breaker.Permit probe = c.tryAcquire();
    assertThat(probe).isNotNull().isNotSameAs(CLOSED);
    assertThat(c.tryAcquire()).isSameAs(probe);
    assertThat(c.tryAcquire()).isNull();
    assertThat(c.refusal()).isEqualTo("circuit half-open with 2 of 2 probe(s) in flight");

    c.release(probe);
    assertThat(c.refusal()).isNull();
    assertThat(c.tryAcquire()).isSameAs(probe);
  }

  @Test
  void releasingAnotherPermitFreesNoProbesSlot() {
    Circuit c = halfOpen(1);
    Breaker.Permit probe = c.tryAcquire();
    assertThat(probe).isNotNull();

    c.release(CLOSED); // an attempt granted before the circuit opened

    assertThat(c.tryAcquire()).isNull();
    c.release(probe);
    c.release(probe); // once too often: frees nothing extra
    assertThat(c.tryAcquire()).isSameAs(probe);
    assertThat(c.tryAcquire()).isNull();
  }

  @Test
  void enoughProbeSuccessesCloseTheCircuitAndClearTheWindow() {
    Circuit c = halfOpen(2);
    window.recordSuccess(T0 + 30_000);
    Breaker.Permit probe = c.tryAcquire();
    assertThat(c.tryAcquire()).isSameAs(probe);

    assertThat(c.succeeded(CLOSED)).as("no probe's success").isFalse();
    assertThat(c.succeeded(probe)).isFalse();
    assertThat(c.kind()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(c.tryAcquire()).as("a success keeps its place").isNull();
    assertThat(c.succeeded(probe)).isTrue();

    assertThat(c.isClosed()).isTrue();
    assertThat(window.counts(T0 + 30_000).calls()).isZero();
    assertThat(window.consecutiveFailures()).isZero();
  }

  @Test
  void aSuccessOutsideHalfOpenClosesNothing() {
    assertThat(circuit(CircuitBreakerPolicy.builder()).succeeded(CLOSED)).isFalse();
    Circuit open = opened(1);
    assertThat(open.succeeded(CLOSED)).isFalse();
    assertThat(open.kind()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aFailedProbeReopensForAFullOpenDurationWithFreshProbesAfter() {
    Circuit c = halfOpen(1);
    Breaker.Permit probe = c.tryAcquire();
    assertThat(probe).isNotNull();

    String opened = c.failed(T0 + 31_000, probe, ERROR, window.recordFailure(T0 + 31_000));

    assertThat(opened).isEqualTo("opened until 2025-01-01T12:01:01Z after a failed probe"
        + " (last: ProviderUnavailableException)");
    c.advance(T0 + 61_000);
    Breaker.Permit fresh = c.tryAcquire();
    assertThat(fresh).as("the old probe's slot is gone with its state").isNotNull()
        .isNotSameAs(probe);
  }

  @Test
  void anEarlierAttemptsFailureLeavesAHalfOpenCircuitToItsProbes() {
    Circuit c = halfOpen(1);
    Breaker.Permit probe = c.tryAcquire();

    assertThat(c.failed(T0 + 31_000, CLOSED, ERROR, window.recordFailure(T0 + 31_000)))
        .isNull();

    assertThat(c.kind()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(c.succeeded(probe)).isTrue();
  }

  @Test
  void anOpenDurationTooLongForTheClockSaturates() {
    Circuit c = circuit(CircuitBreakerPolicy.builder().consecutiveFailures(1)
        .openDuration(Duration.ofSeconds(Long.MAX_VALUE)));

    c.failed(T0, CLOSED, ERROR, window.recordFailure(T0));

    assertThat(c.openUntil()).isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE));
    c.advance(Long.MAX_VALUE - 1);
    assertThat(c.kind()).isEqualTo(CircuitState.OPEN);
  }
}
