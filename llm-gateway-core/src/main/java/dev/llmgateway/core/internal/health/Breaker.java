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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deployment's circuit breaker, rate-limit cooldown and health statistics, following a
 * {@link CircuitBreakerPolicy}. All time comes from the injected {@link Clock}. A facade over four
 * parts: the {@link Circuit} (closed, open, half-open with probes), the {@link FailureWindow} it
 * trips on, the {@link Cooldown} after rate limits, and the {@link LatencyStats}.
 *
 * <p>Protocol: call {@link #tryAcquire()} before an attempt; when it grants, end the attempt with
 * exactly one of {@link #onSuccess(long)}, {@link #onFailure(GatewayException, long)} or
 * {@link #onCancelled()}. An attempt that started before the circuit opened and ends while it is
 * half-open counts as a probe outcome: it is fresh evidence either way.
 *
 * <p>Thread-safe. While the circuit is closed, granting, a success and a cancellation take no lock:
 * they read the circuit's volatile state and the cooldown's end and update atomics, and allocate
 * nothing (but the window's fresh bucket when a success is the first outcome of its tenth of the
 * window). A success adds to the window and resets the failures in a row, then reads the state
 * again: if the circuit left the closed state meanwhile, the success takes the lock for what the
 * new state makes of it (a probe's success, in the half-open state). Failures and everything off
 * the closed state run under a small private lock that serializes the circuit's transitions and
 * reads the clock inside it.
 */
public final class Breaker {
  /** Successful latencies kept for percentiles (a power of two). */
  static final int LATENCY_SAMPLES = LatencyStats.SAMPLES;

  private static final Logger log = LoggerFactory.getLogger(Breaker.class);

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
   * Whether an attempt may start now. Closed and not cooling down: yes. Cooling down: no. Open:
   * no until the open duration has passed; then the circuit turns half-open and up to
   * {@link CircuitBreakerPolicy#halfOpenProbes()} probes are granted at a time. A granted permit
   * must be ended by exactly one of the {@code on...} methods.
   */
  public boolean tryAcquire() {
    return tryAcquire(false);
  }

  /**
   * {@link #tryAcquire()}, optionally past a cooldown: for a call's own retry, which has just
   * waited the delay the server asked for (the cooldown that delay started would refuse it at the
   * boundary).
   */
  public boolean tryAcquire(boolean pastCooldown) {
    if (!enabled) {
      latency.started();
      return true;
    }
    if (circuit.isClosed()) {
      long cool = cooldown.untilMillis();
      if (pastCooldown || cool == 0 || clock.millis() >= cool) {
        latency.started();
        return true;
      }
      return false;
    }
    synchronized (lock) {
      long now = clock.millis();
      circuit.advance(now);
      if (!pastCooldown && now < cooldown.untilMillis()) {
        return false;
      }
      if (circuit.tryAcquire()) {
        latency.started();
        return true;
      }
      return false;
    }
  }

  /**
   * Why {@link #tryAcquire()} would refuse now, without the deployment's name and without
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
   * the latency; in the half-open state, the required number of probe successes closes the
   * circuit.
   */
  public void onSuccess(long latencyNanos) {
    onSuccess(latencyNanos, false);
  }

  /**
   * Ends a permit with a success, as {@link #onSuccess(long)}; a stream's sample (its time to first
   * token) is kept apart from unary latencies, so a unary hedge's percentile is not skewed by fast
   * first tokens, nor a stream's by whole answers.
   */
  public void onSuccess(long latencyNanos, boolean firstToken) {
    latency.ended();
    (firstToken ? firstTokens : latency).record(latencyNanos);
    boolean counted = false;
    if (circuit.isClosed()) {
      window.recordSuccess(clock.millis());
      if (circuit.isClosed()) {
        return;
      }
      counted = true; // the circuit opened meanwhile: what is it now?
    }
    boolean closed;
    synchronized (lock) {
      long now = clock.millis();
      circuit.advance(now);
      if (!counted) {
        window.recordSuccess(now);
      }
      closed = circuit.succeeded();
    }
    if (closed) {
      log.info("circuit of {} closed after {} successful probe(s)", deployment,
          policy.halfOpenProbes());
    }
  }

  /**
   * Ends a permit with a failure. Provider unavailable or overloaded and attempt, first-token or
   * idle timeouts count as failures and may open the circuit (a half-open one reopens). A rate
   * limit or an exhausted quota starts a cooldown instead. Anything else (client errors, the
   * caller's total deadline) counts neither way.
   */
  public void onFailure(GatewayException error, long latencyNanos) {
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
            opened = circuit.failed(now, error.getClass(), inARow);
          }
          break;
        }
        case COOLDOWN:
          circuit.release();
          cooldown.start(now, error);
          break;
        default:
          circuit.release();
          break;
      }
    }
    if (opened != null) {
      log.info("circuit of {} {}", deployment, opened);
    }
  }

  /**
   * Ends a permit without an outcome (the caller cancelled, or the attempt lost a hedge): not
   * counted; a half-open probe slot is released.
   */
  public void onCancelled() {
    latency.ended();
    if (circuit.isClosed()) {
      return;
    }
    synchronized (lock) {
      circuit.advance(clock.millis());
      circuit.release();
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
