package dev.llmgateway.core.internal.health;

import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.CircuitState;
import dev.llmgateway.core.resilience.DeploymentHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One deployment's circuit breaker, rate-limit cooldown and health statistics, following a
 * {@link CircuitBreakerPolicy}. All time comes from the injected {@link Clock}. A facade over four
 * parts: the {@link Circuit} (closed, open, half-open with probes), the {@link FailureWindow} it
 * trips on, the {@link Cooldown} after rate limits, and the {@link LatencyStats}.
 *
 * <p>Protocol: call {@link #acquire()} before an attempt; when it grants a {@link Permit}, end the
 * attempt with exactly one of {@link #onSuccess(Permit, long)}, {@link #onFailure(Permit,
 * GatewayException, long)} or {@link #onCancelled(Permit)}, handing the permit back. The permit
 * says which state of the circuit granted the attempt: the half-open state admits exactly {@link
 * CircuitBreakerPolicy#halfOpenProbes()} probes (a probe that ends without a verdict gives its
 * place to another), closes when all of them succeed and opens again when one fails; the outcome
 * of an attempt granted before (it started before the circuit opened, or in an earlier half-open
 * spell) still counts in the statistics but frees no probe's slot and decides nothing.
 *
 * <p>All of its time — the open duration, the window's buckets, the cooldowns — is read from the
 * injected {@link Clock}, never from the system clock; latencies are measured by the caller.
 *
 * <p>Thread-safe. An attempt the closed circuit grants holds the shared {@link Permit#CLOSED}:
 * granting it, and ending it with a success or a cancellation, take no lock (they read the
 * circuit's volatile state and the cooldown's end and update atomics, and allocate nothing but the
 * window's fresh bucket when a success is the first outcome of its tenth of the window). Failures,
 * everything off the closed state, and a half-open probe's outcome run under a small private lock
 * that serializes the circuit's transitions and reads the clock inside it.
 */
public final class Breaker {
  /** Successful latencies kept for percentiles (a power of two). */
  static final int LATENCY_SAMPLES = LatencyStats.SAMPLES;


  private enum Outcome { COUNTED, COOLDOWN, IGNORED }

  private final Deployment deployment;
  private final CircuitBreakerPolicy policy;
  private final Clock clock;
  private final boolean enabled;
  private final FailureWindow window;
  private final Circuit circuit;
  private final Cooldown cooldown;
  private final LatencyStats latency = new LatencyStats();
  /** Streams' times to first token, apart from unary latencies: each hedge reads its own kind. */
  private final LatencyStats firstTokens = new LatencyStats();
  /** Serializes the circuit's transitions; never held on the closed state's success path. */
  private final Object lock = new Object();

  /**
   * What an attempt holds from its grant to its end: the state of the circuit that granted it.
   * Every attempt the closed circuit (or a disabled breaker) grants holds {@link #CLOSED}; each
   * half-open spell hands its probes a permit of its own. Immutable, compared by identity.
   */
  public static final class Permit {
    /** The permit of every attempt the closed circuit grants. */
    public static final Permit CLOSED = new Permit();

    Permit() {}
  }

  public Breaker(Deployment deployment, CircuitBreakerPolicy policy, Clock clock) {
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.enabled = policy.enabled();
    this.window = new FailureWindow(policy);
    this.circuit = new Circuit(policy, window);
    this.cooldown = new Cooldown(policy);
  }

  /** The deployment this breaker guards. */
  public Deployment deployment() {
    return deployment;
  }

  /** The policy it follows. */
  public CircuitBreakerPolicy policy() {
    return policy;
  }

  /**
   * The permit of an attempt that may start now, or null when it may not. Closed and not cooling
   * down: {@link Permit#CLOSED}. Cooling down: null. Open: null until the open duration has passed;
   * then the circuit turns half-open and grants {@link CircuitBreakerPolicy#halfOpenProbes()}
   * probes. A granted permit must be handed back by exactly one of the {@code on...} methods.
   */
  public @Nullable Permit acquire() {
    return acquire(false);
  }

  /**
   * {@link #acquire()}, optionally past a cooldown: for a call's own retry, which has just waited
   * the delay the server asked for (the cooldown that delay started would refuse it at the
   * boundary).
   */
  public @Nullable Permit acquire(boolean pastCooldown) {
    if (!enabled) {
      latency.started();
      return Permit.CLOSED;
    }
    if (circuit.isClosed()) {
      long cool = cooldown.untilMillis();
      if (pastCooldown || cool == 0 || clock.millis() >= cool) {
        latency.started();
        return Permit.CLOSED;
      }
      return null;
    }
    synchronized (lock) {
      long now = clock.millis();
      circuit.advance(now);
      if (!pastCooldown && now < cooldown.untilMillis()) {
        return null;
      }
      Permit permit = circuit.tryAcquire();
      if (permit != null) {
        latency.started();
      }
      return permit;
    }
  }

  /**
   * Why {@link #acquire()} would refuse now, without the deployment's name and without
   * secrets or provider output; null when it would (probably) grant.
   */
  public @Nullable String unavailableReason() {
    if (!enabled) {
      return null;
    }
    if (circuit.isClosed()) {
      long cool = cooldown.untilMillis();
      if (cool == 0 || clock.millis() >= cool) {
        return null;
      }
    }
    synchronized (lock) {
      long now = clock.millis();
      circuit.advance(now);
      if (circuit.kind() == CircuitState.OPEN) {
        return circuit.refusal();
      }
      @Nullable String cooling = cooldown.reason(now);
      return cooling != null ? cooling : circuit.refusal();
    }
  }

  /** The state now (an open circuit whose time is up reads, and turns, half-open). */
  public CircuitState state() {
    CircuitState s = circuit.kind();
    if (s != CircuitState.OPEN) {
      return s;
    }
    synchronized (lock) {
      circuit.advance(clock.millis());
      return circuit.kind();
    }
  }

  /**
   * Ends a permit with a success: counts the attempt, resets the consecutive failures and keeps
   * the latency; a half-open probe's success counts toward closing the circuit, the last one
   * needed closes it.
   *
   * @return whether this success closed the circuit (its caller logs it, naming the call)
   */
  public boolean onSuccess(Permit permit, long latencyNanos) {
    return onSuccess(permit, latencyNanos, false);
  }

  /**
   * Ends a permit with a success, as {@link #onSuccess(Permit, long)}; a stream's sample (its time
   * to first token) is kept apart from unary latencies, so a unary hedge's percentile is not skewed
   * by fast first tokens, nor a stream's by whole answers.
   */
  public boolean onSuccess(Permit permit, long latencyNanos, boolean firstToken) {
    Objects.requireNonNull(permit, "permit");
    latency.ended();
    (firstToken ? firstTokens : latency).record(latencyNanos);
    if (permit == Permit.CLOSED) {
      window.recordSuccess(clock.millis()); // no probe: decides nothing, whatever the state now
      return false;
    }
    boolean closed;
    synchronized (lock) {
      long now = clock.millis();
      circuit.advance(now);
      window.recordSuccess(now);
      closed = circuit.succeeded(permit);
    }
    return closed;
  }

  /**
   * Ends a permit with a failure. Provider unavailable or overloaded and attempt, first-token or
   * idle timeouts count as failures and may open the circuit (a half-open probe's failure opens it
   * again). A rate limit or an exhausted quota starts a cooldown instead. Anything else (client
   * errors, the caller's total deadline) counts neither way; a probe's slot is then freed.
   *
   * @return how the circuit opened, when this failure opened it (its caller logs it, naming the
   *     call); else null
   */
  public @Nullable String onFailure(Permit permit, GatewayException error, long latencyNanos) {
    Objects.requireNonNull(permit, "permit");
    Objects.requireNonNull(error, "error");
    latency.ended();
    @Nullable String opened = null;
    synchronized (lock) {
      long now = clock.millis();
      circuit.advance(now);
      switch (classify(error)) {
        case COUNTED: {
          int inARow = window.recordFailure(now);
          if (enabled) {
            opened = circuit.failed(now, permit, error.getClass(), inARow);
          }
          break;
        }
        case COOLDOWN:
          circuit.release(permit);
          cooldown.start(now, error);
          break;
        default:
          circuit.release(permit);
          break;
      }
    }
    return opened;
  }

  /**
   * Ends a permit without an outcome (the caller cancelled, or the attempt lost a hedge): not
   * counted; a half-open probe's slot is freed for another probe.
   */
  public void onCancelled(Permit permit) {
    Objects.requireNonNull(permit, "permit");
    latency.ended();
    if (permit == Permit.CLOSED) {
      return;
    }
    synchronized (lock) {
      circuit.advance(clock.millis());
      circuit.release(permit);
    }
  }

  /**
   * The moving average of successful attempts' latency (each new sample weighs 1/8), in
   * nanoseconds; -1 before the first success.
   */
  public long latencyEwmaNanos() {
    return latency.ewmaNanos();
  }

  /** Attempts granted and not yet ended. */
  public int inFlight() {
    return latency.inFlight();
  }

  /**
   * The latency at a percentile of the last {@value #LATENCY_SAMPLES} successful attempts, by
   * nearest rank, in nanoseconds; -1 when there are none. Copies and sorts the samples: call it
   * per decision, not per event.
   *
   * @param percentile a fraction in [0, 1], e.g. 0.95 for p95 (as {@code HedgePolicy} holds it)
   * @throws IllegalArgumentException when the percentile is outside [0, 1] or NaN
   */
  public long latencyPercentileNanos(double percentile) {
    return latency.percentileNanos(percentile);
  }

  /**
   * The percentile of the last {@value #LATENCY_SAMPLES} successful streams' times to first token
   * (with {@code firstToken}), or of unary latencies (without); -1 when there are none.
   */
  public long latencyPercentileNanos(double percentile, boolean firstToken) {
    return (firstToken ? firstTokens : latency).percentileNanos(percentile);
  }

  /**
   * A snapshot of the state and statistics, taken under the lock (successes in the closed state,
   * which take no lock, may land on either side of it).
   */
  public DeploymentHealth snapshot() {
    long[] sorted = new long[LATENCY_SAMPLES];
    int n = latency.sortedInto(sorted);
    if (n == 0) {
      n = firstTokens.sortedInto(sorted); // a deployment that has only streamed
    }
    synchronized (lock) {
      long now = clock.millis();
      circuit.advance(now);
      FailureWindow.Counts counts = window.counts(now);
      return new DeploymentHealth(
          deployment,
          circuit.kind(),
          circuit.openUntil(),
          cooldown.until(now),
          counts.failureRate(),
          counts.calls(),
          counts.failures(),
          window.consecutiveFailures(),
          latency.inFlight(),
          n,
          n == 0 ? null : Duration.ofNanos(LatencyStats.nearestRank(sorted, n, 0.50)),
          n == 0 ? null : Duration.ofNanos(LatencyStats.nearestRank(sorted, n, 0.90)),
          n == 0 ? null : Duration.ofNanos(LatencyStats.nearestRank(sorted, n, 0.99)));
    }
  }

  @Override
  public String toString() {
    return "Breaker{" + deployment + " " + circuit.kind() + "}";
  }

  private static Outcome classify(GatewayException error) {
    if (error instanceof ProviderUnavailableException) {
      return Outcome.COUNTED;
    }
    if (error instanceof GatewayTimeoutException) {
      return ((GatewayTimeoutException) error).kind() == GatewayTimeoutException.Kind.TOTAL
          ? Outcome.IGNORED
          : Outcome.COUNTED;
    }
    if (error instanceof RateLimitedException || error instanceof QuotaExhaustedException) {
      return Outcome.COOLDOWN;
    }
    return Outcome.IGNORED;
  }
}
