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
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deployment's circuit breaker, rate-limit cooldown and health statistics, following a
 * {@link CircuitBreakerPolicy}. All time comes from the injected {@link Clock}.
 *
 * <p>Protocol: call {@link #tryAcquire()} before an attempt; when it grants, end the attempt with
 * exactly one of {@link #onSuccess(long)}, {@link #onFailure(GatewayException, long)} or
 * {@link #onCancelled()}. An attempt that started before the circuit opened and ends while it is
 * half-open counts as a probe outcome: it is fresh evidence either way.
 *
 * <p>Thread-safe. Granting in the closed state reads two volatile fields and bumps an atomic
 * counter; outcomes update the window under a small private lock; latency samples go to a
 * lock-free ring of the last {@value #LATENCY_SAMPLES} successes.
 */
public final class Breaker {
  /** Buckets of the sliding window, each a tenth of it. */
  static final int WINDOW_BUCKETS = 10;
  /** Successful latencies kept for percentiles (a power of two). */
  static final int LATENCY_SAMPLES = 256;

  private static final Logger log = LoggerFactory.getLogger(Breaker.class);
  private static final int RING_MASK = LATENCY_SAMPLES - 1;
  private static final long EMPTY = -1;

  private enum Outcome { COUNTED, COOLDOWN, IGNORED }

  private final Deployment deployment;
  private final CircuitBreakerPolicy policy;
  private final Clock clock;
  private final boolean enabled;
  private final double rateThreshold;
  private final int minimumCalls;
  private final int consecutiveThreshold;
  private final int probes;
  private final long bucketMillis;
  private final long openMillis;
  private final long defaultCooldownMillis;
  private final long maxCooldownMillis;

  private final Object lock = new Object();
  /** Written under the lock, read without it on the fast path. */
  private volatile CircuitState state = CircuitState.CLOSED;
  /** Epoch millis when the cooldown ends; 0 when never cooled. Written under the lock. */
  private volatile long coolingUntil;

  // Guarded by lock.
  private long openUntil;
  private String openReason = "";
  private String coolingReason = "";
  private int probesInFlight;
  private int probeSuccesses;
  private int consecutiveFailures;
  private @Nullable Class<?> lastFailure;
  private final long[] bucketEpoch = new long[WINDOW_BUCKETS];
  private final long[] bucketCalls = new long[WINDOW_BUCKETS];
  private final long[] bucketFailures = new long[WINDOW_BUCKETS];

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLongArray latencies = new AtomicLongArray(LATENCY_SAMPLES);
  private final AtomicLong latencyCount = new AtomicLong();
  /** Exponentially weighted moving average of successful latencies (weight 1/8); -1 when none. */
  private final AtomicLong latencyEwma = new AtomicLong(-1);

  public Breaker(Deployment deployment, CircuitBreakerPolicy policy, Clock clock) {
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.enabled = policy.enabled();
    this.rateThreshold = policy.failureRateThreshold();
    this.minimumCalls = policy.minimumCalls();
    this.consecutiveThreshold = policy.consecutiveFailures();
    this.probes = policy.halfOpenProbes();
    this.bucketMillis = Math.max(1, millis(policy.slidingWindow()) / WINDOW_BUCKETS);
    this.openMillis = Math.max(1, millis(policy.openDuration()));
    this.maxCooldownMillis = millis(policy.maxCooldown());
    this.defaultCooldownMillis = millis(policy.rateLimitCooldown()); // <= max, as built
    Arrays.fill(bucketEpoch, Long.MIN_VALUE);
    for (int i = 0; i < LATENCY_SAMPLES; i++) {
      latencies.set(i, EMPTY);
    }
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
      inFlight.incrementAndGet();
      return true;
    }
    if (state == CircuitState.CLOSED) {
      long cool = coolingUntil;
      if (pastCooldown || cool == 0 || clock.millis() >= cool) {
        inFlight.incrementAndGet();
        return true;
      }
      return false;
    }
    synchronized (lock) {
      long now = clock.millis();
      advance(now);
      if (!pastCooldown && now < coolingUntil) {
        return false;
      }
      if (state == CircuitState.CLOSED
          || (state == CircuitState.HALF_OPEN && probesInFlight < probes)) {
        if (state == CircuitState.HALF_OPEN) {
          probesInFlight++;
        }
        inFlight.incrementAndGet();
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
    if (state == CircuitState.CLOSED) {
      long cool = coolingUntil;
      if (cool == 0 || clock.millis() >= cool) {
        return null;
      }
    }
    synchronized (lock) {
      long now = clock.millis();
      advance(now);
      if (state == CircuitState.OPEN) {
        return "circuit open until " + Instant.ofEpochMilli(openUntil) + " " + openReason;
      }
      if (now < coolingUntil) {
        return coolingReason + " until " + Instant.ofEpochMilli(coolingUntil);
      }
      if (state == CircuitState.HALF_OPEN && probesInFlight >= probes) {
        return "circuit half-open with " + probesInFlight + " of " + probes
            + " probe(s) in flight";
      }
      return null;
    }
  }

  /** The state now (an open circuit whose time is up reads, and turns, half-open). */
  public CircuitState state() {
    CircuitState s = state;
    if (s != CircuitState.OPEN) {
      return s;
    }
    synchronized (lock) {
      advance(clock.millis());
      return state;
    }
  }

  /**
   * Ends a permit with a success: counts the attempt, resets the consecutive failures and keeps
   * the latency; in the half-open state, the required number of probe successes closes the
   * circuit.
   */
  public void onSuccess(long latencyNanos) {
    inFlight.decrementAndGet();
    long i = latencyCount.getAndIncrement();
    long sample = Math.max(0, latencyNanos);
    latencies.set((int) (i & RING_MASK), sample);
    long prev;
    long next;
    do {
      prev = latencyEwma.get();
      next = prev < 0 ? sample : prev + ((sample - prev) >> 3);
    } while (!latencyEwma.compareAndSet(prev, next));
    boolean closed = false;
    synchronized (lock) {
      long now = clock.millis();
      advance(now);
      record(now, false);
      consecutiveFailures = 0;
      if (state == CircuitState.HALF_OPEN) {
        releaseProbe();
        if (++probeSuccesses >= probes) {
          close();
          closed = true;
        }
      }
    }
    if (closed) {
      log.info("circuit of {} closed after {} successful probe(s)", deployment, probes);
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
    inFlight.decrementAndGet();
    @Nullable String opened = null;
    synchronized (lock) {
      long now = clock.millis();
      advance(now);
      switch (classify(error)) {
        case COUNTED:
          opened = recordFailure(now, error);
          break;
        case COOLDOWN:
          releaseProbe();
          startCooldown(now, error);
          break;
        default:
          releaseProbe();
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
    inFlight.decrementAndGet();
    if (state == CircuitState.CLOSED) {
      return;
    }
    synchronized (lock) {
      advance(clock.millis());
      releaseProbe();
    }
  }

  /**
   * The moving average of successful attempts' latency (each new sample weighs 1/8), in
   * nanoseconds; -1 before the first success.
   */
  public long latencyEwmaNanos() {
    return latencyEwma.get();
  }

  /** Attempts granted and not yet ended. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * The latency at a percentile of the last {@value #LATENCY_SAMPLES} successful attempts, by
   * nearest rank, in nanoseconds; -1 when there are none. Copies and sorts the samples: call it
   * per decision, not per event.
   *
   * @param percentile a fraction in [0, 1], e.g. 0.95 for p95 (as {@code HedgePolicy} holds it)
   */
  public long latencyPercentileNanos(double percentile) {
    if (!(percentile >= 0 && percentile <= 1)) {
      throw new IllegalArgumentException(
          "percentile must be a fraction in [0, 1] (0.95 for p95), was " + percentile);
    }
    long[] sorted = new long[LATENCY_SAMPLES];
    int n = sortedLatencies(sorted);
    return n == 0 ? -1 : nearestRank(sorted, n, percentile);
  }

  /** A consistent snapshot of the state and statistics. */
  public DeploymentHealth snapshot() {
    long[] sorted = new long[LATENCY_SAMPLES];
    int n = sortedLatencies(sorted);
    synchronized (lock) {
      long now = clock.millis();
      advance(now);
      long calls = windowSum(bucketCalls, now);
      long failures = windowSum(bucketFailures, now);
      return new DeploymentHealth(
          deployment,
          state,
          state == CircuitState.OPEN ? Instant.ofEpochMilli(openUntil) : null,
          now < coolingUntil ? Instant.ofEpochMilli(coolingUntil) : null,
          calls == 0 ? 0 : (double) failures / calls,
          calls,
          failures,
          consecutiveFailures,
          inFlight.get(),
          n,
          n == 0 ? null : Duration.ofNanos(nearestRank(sorted, n, 0.50)),
          n == 0 ? null : Duration.ofNanos(nearestRank(sorted, n, 0.90)),
          n == 0 ? null : Duration.ofNanos(nearestRank(sorted, n, 0.99)));
    }
  }

  @Override
  public String toString() {
    return "Breaker{" + deployment + " " + state + "}";
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

  /** Under lock: an open circuit whose time is up turns half-open. */
  private void advance(long now) {
    if (state == CircuitState.OPEN && now >= openUntil) {
      state = CircuitState.HALF_OPEN;
      probesInFlight = 0;
      probeSuccesses = 0;
    }
  }

  /** Under lock: counts one attempt in the current bucket. */
  private void record(long now, boolean failure) {
    long epoch = now / bucketMillis;
    int i = Math.floorMod(epoch, WINDOW_BUCKETS);
    if (bucketEpoch[i] != epoch) {
      bucketEpoch[i] = epoch;
      bucketCalls[i] = 0;
      bucketFailures[i] = 0;
    }
    bucketCalls[i]++;
    if (failure) {
      bucketFailures[i]++;
    }
  }

  private static boolean inWindow(long bucket, long epoch) {
    return bucket <= epoch && bucket > epoch - WINDOW_BUCKETS;
  }

  /** Under lock: counts a failure and opens the circuit when due; returns what happened or null. */
  private @Nullable String recordFailure(long now, GatewayException error) {
    record(now, true);
    if (consecutiveFailures < Integer.MAX_VALUE) {
      consecutiveFailures++;
    }
    lastFailure = error.getClass();
    if (!enabled || state == CircuitState.OPEN) {
      return null; // an attempt that started before the circuit opened
    }
    if (state == CircuitState.HALF_OPEN) {
      return open(now, "after a failed probe");
    }
    if (consecutiveFailures >= consecutiveThreshold) {
      return open(now, consecutiveFailures == 1 ? "after a failure"
          : "after " + consecutiveFailures + " consecutive failures");
    }
    long calls = windowSum(bucketCalls, now);
    long failures = windowSum(bucketFailures, now);
    if (calls >= minimumCalls && (double) failures / calls >= rateThreshold) {
      return open(now, "after " + failures + " failures in " + calls + " attempts ("
          + Math.round(100.0 * failures / calls) + "%) within " + policy.slidingWindow());
    }
    return null;
  }

  /** The counts of the buckets within the window at {@code now}. Called under the lock. */
  private long windowSum(long[] counts, long now) {
    long epoch = now / bucketMillis;
    long sum = 0;
    for (int i = 0; i < WINDOW_BUCKETS; i++) {
      if (inWindow(bucketEpoch[i], epoch)) {
        sum += counts[i];
      }
    }
    return sum;
  }

  private String open(long now, String why) {
    state = CircuitState.OPEN;
    openUntil = saturatedAdd(now, openMillis);
    probesInFlight = 0;
    probeSuccesses = 0;
    Class<?> last = lastFailure;
    openReason = last == null ? why : why + " (last: " + last.getSimpleName() + ")";
    return "opened until " + Instant.ofEpochMilli(openUntil) + " " + openReason;
  }

  private void close() {
    state = CircuitState.CLOSED;
    probesInFlight = 0;
    probeSuccesses = 0;
    consecutiveFailures = 0;
    Arrays.fill(bucketEpoch, Long.MIN_VALUE);
  }

  private void releaseProbe() {
    if (state == CircuitState.HALF_OPEN && probesInFlight > 0) {
      probesInFlight--;
    }
  }

  private void startCooldown(long now, GatewayException error) {
    if (!enabled) {
      return;
    }
    @Nullable Duration retryAfter = error instanceof RateLimitedException
        ? ((RateLimitedException) error).retryAfter()
        : null;
    long cooldown = retryAfter == null ? defaultCooldownMillis : capped(retryAfter);
    if (cooldown <= 0) {
      return;
    }
    long until = saturatedAdd(now, cooldown);
    if (until > coolingUntil) {
      coolingUntil = until;
      if (error instanceof RateLimitedException) {
        coolingReason = retryAfter == null
            ? "cooling down after a rate limit (429)"
            : "cooling down after a rate limit (429, retry after " + retryAfter + ")";
      } else {
        coolingReason = "cooling down after the provider's quota ran out";
      }
    }
  }

  private long capped(Duration retryAfter) {
    if (retryAfter.isNegative()) {
      return 0;
    }
    return retryAfter.compareTo(policy.maxCooldown()) > 0 ? maxCooldownMillis
        : retryAfter.toMillis();
  }

  /** Copies the recorded samples into {@code into}, sorts them and returns how many there are. */
  private int sortedLatencies(long[] into) {
    int n = 0;
    for (int i = 0; i < LATENCY_SAMPLES; i++) {
      long v = latencies.get(i);
      if (v != EMPTY) {
        into[n++] = v;
      }
    }
    Arrays.sort(into, 0, n);
    return n;
  }

  /**
   * The nearest-rank percentile: the smallest sample with at least that share of samples at or
   * below it. The fraction is taken in millionths so that 0.07 of 100 is rank 7, not 8.
   */
  private static long nearestRank(long[] sorted, int n, double percentile) {
    long millionths = Math.round(percentile * 1_000_000);
    long rank = (millionths * n + 999_999) / 1_000_000;
    return sorted[(int) Math.min(n, Math.max(1, rank)) - 1];
  }

  private static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
