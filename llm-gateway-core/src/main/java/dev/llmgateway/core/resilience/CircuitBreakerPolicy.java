package dev.llmgateway.core.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * When a deployment's circuit breaker stops sending it attempts, and for how long. Each
 * deployment gets its own breaker, driven by the outcome of every attempt sent to it.
 *
 * <p>A {@link CircuitState#CLOSED closed} circuit lets attempts through and counts their outcomes
 * in a sliding time window of {@link #slidingWindow()}, kept in ten buckets. It
 * {@link CircuitState#OPEN opens} when {@link #consecutiveFailures()} attempts fail in a row, or
 * when at least {@link #minimumCalls()} attempts were counted in the window and the share of
 * failures among them reaches {@link #failureRateThreshold()}. An open circuit refuses attempts
 * for {@link #openDuration()}, then turns {@link CircuitState#HALF_OPEN half-open}: it lets
 * {@link #halfOpenProbes()} probe attempts through and closes when all of them succeed; any probe
 * failure opens it again. A probe that ends without a verdict (cancelled, or an error that counts
 * neither way) gives its place to another. Attempts that started before the circuit opened are no
 * probes: when they end, their outcome counts in the statistics but decides nothing.
 *
 * <p>What counts as a failure: the provider was unavailable or overloaded (5xx, 529, connection
 * errors) or an attempt, first-token or idle timeout ran out. The caller's own total deadline,
 * client errors (invalid request, authentication, access, content filter, policy) and
 * cancellations count neither way. A rate limit (HTTP 429) or an exhausted quota is no failure
 * either: it makes the deployment <em>cool down</em> for the server's {@code Retry-After}, or
 * {@link #rateLimitCooldown()} when there is none, never longer than {@link #maxCooldown()}.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()}, derive a variant with
 * {@link #toBuilder()}.
 */
public final class CircuitBreakerPolicy {
  private static final CircuitBreakerPolicy DEFAULTS = new Builder().build();
  private static final CircuitBreakerPolicy DISABLED = new Builder().enabled(false).build();

  private final boolean enabled;
  private final double failureRateThreshold;
  private final int minimumCalls;
  private final Duration slidingWindow;
  private final int consecutiveFailures;
  private final Duration openDuration;
  private final int halfOpenProbes;
  private final Duration rateLimitCooldown;
  private final Duration maxCooldown;

  private CircuitBreakerPolicy(Builder b) {
    this.enabled = b.enabled;
    this.failureRateThreshold = b.failureRateThreshold;
    this.minimumCalls = b.minimumCalls;
    this.slidingWindow = b.slidingWindow;
    this.consecutiveFailures = b.consecutiveFailures;
    this.openDuration = b.openDuration;
    this.halfOpenProbes = b.halfOpenProbes;
    this.rateLimitCooldown = b.rateLimitCooldown;
    this.maxCooldown = b.maxCooldown;
  }

  /**
   * The defaults: open at a failure rate of 50% over at least 10 attempts in 30 s, or after 5
   * consecutive failures; stay open 30 s; one half-open probe; cool down 5 s after a 429 without
   * {@code Retry-After}, at most 5 min.
   */
  public static CircuitBreakerPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A breaker that never opens and never cools down; health statistics (failure rate, latency)
   * are still collected.
   */
  public static CircuitBreakerPolicy disabled() {
    return DISABLED;
  }

  /** A builder starting from the {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether the breaker may open and cool down; false for {@link #disabled()}. */
  public boolean enabled() {
    return enabled;
  }

  /** The share of failed attempts in the window, in (0, 1], at which the circuit opens. */
  public double failureRateThreshold() {
    return failureRateThreshold;
  }

  /** How many attempts the window must hold before the failure rate can open the circuit. */
  public int minimumCalls() {
    return minimumCalls;
  }

  /** How far back the failure rate looks (kept in ten buckets of a tenth each). */
  public Duration slidingWindow() {
    return slidingWindow;
  }

  /** How many failures in a row open the circuit, whatever the failure rate. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** How long an open circuit refuses attempts before it lets probes through. */
  public Duration openDuration() {
    return openDuration;
  }

  /**
   * How many probe attempts a half-open circuit lets through, all of which must succeed to close
   * it.
   */
  public int halfOpenProbes() {
    return halfOpenProbes;
  }

  /** How long a deployment cools down after a 429 or an exhausted quota with no retry-after. */
  public Duration rateLimitCooldown() {
    return rateLimitCooldown;
  }

  /** The longest cooldown, a server's own retry-after included. */
  public Duration maxCooldown() {
    return maxCooldown;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CircuitBreakerPolicy)) {
      return false;
    }
    CircuitBreakerPolicy that = (CircuitBreakerPolicy) o;
    return enabled == that.enabled
        && Double.compare(failureRateThreshold, that.failureRateThreshold) == 0
        && minimumCalls == that.minimumCalls
        && slidingWindow.equals(that.slidingWindow)
        && consecutiveFailures == that.consecutiveFailures
        && openDuration.equals(that.openDuration)
        && halfOpenProbes == that.halfOpenProbes
        && rateLimitCooldown.equals(that.rateLimitCooldown)
        && maxCooldown.equals(that.maxCooldown);
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, failureRateThreshold, minimumCalls, slidingWindow,
        consecutiveFailures, openDuration, halfOpenProbes, rateLimitCooldown, maxCooldown);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "CircuitBreakerPolicy{disabled}";
    }
    return "CircuitBreakerPolicy{failureRateThreshold=" + failureRateThreshold
        + ", minimumCalls=" + minimumCalls
        + ", slidingWindow=" + slidingWindow
        + ", consecutiveFailures=" + consecutiveFailures
        + ", openDuration=" + openDuration
        + ", halfOpenProbes=" + halfOpenProbes
        + ", rateLimitCooldown=" + rateLimitCooldown
        + ", maxCooldown=" + maxCooldown
        + "}";
  }

  /**
   * Builds a {@link CircuitBreakerPolicy}. Setters check their own argument
   * ({@link IllegalArgumentException} naming the setting and the value); {@link #build()} checks
   * how settings fit together ({@link IllegalStateException}). Not thread-safe; reusable.
   */
  public static final class Builder {
    private boolean enabled = true;
    private double failureRateThreshold = 0.5;
    private int minimumCalls = 10;
    private Duration slidingWindow = Duration.ofSeconds(30);
    private int consecutiveFailures = 5;
    private Duration openDuration = Duration.ofSeconds(30);
    private int halfOpenProbes = 1;
    private Duration rateLimitCooldown = Duration.ofSeconds(5);
    private Duration maxCooldown = Duration.ofMinutes(5);

    private Builder() {}

    private Builder(CircuitBreakerPolicy p) {
      this.enabled = p.enabled;
      this.failureRateThreshold = p.failureRateThreshold;
      this.minimumCalls = p.minimumCalls;
      this.slidingWindow = p.slidingWindow;
      this.consecutiveFailures = p.consecutiveFailures;
      this.openDuration = p.openDuration;
      this.halfOpenProbes = p.halfOpenProbes;
      this.rateLimitCooldown = p.rateLimitCooldown;
      this.maxCooldown = p.maxCooldown;
    }

    /**
     * Whether the breaker may open and cool down (default true). When false it only collects
     * statistics, as {@link CircuitBreakerPolicy#disabled()}.
     */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** The failure rate, in (0, 1], that opens the circuit (default 0.5). */
    public Builder failureRateThreshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("failureRateThreshold must be > 0 and <= 1 "
            + "(a share of attempts, e.g. 0.5 for 50%), was " + threshold);
      }
      this.failureRateThreshold = threshold;
      return this;
    }

    /** Attempts the window must hold before the failure rate counts, at least 1 (default 10). */
    public Builder minimumCalls(int minimumCalls) {
      if (minimumCalls < 1) {
        throw new IllegalArgumentException("minimumCalls must be >= 1, was " + minimumCalls);
      }
      this.minimumCalls = minimumCalls;
      return this;
    }

    /** The span of the failure-rate window, at least 1 s (default 30 s). */
    public Builder slidingWindow(Duration window) {
      Objects.requireNonNull(window, "slidingWindow");
      if (window.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("slidingWindow must be >= 1 s, was " + window);
      }
      this.slidingWindow = window;
      return this;
    }

    /** Failures in a row that open the circuit, at least 1 (default 5). */
    public Builder consecutiveFailures(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException("consecutiveFailures must be >= 1, was " + failures);
      }
      this.consecutiveFailures = failures;
      return this;
    }

    /** How long the circuit stays open before probing, positive (default 30 s). */
    public Builder openDuration(Duration duration) {
      Objects.requireNonNull(duration, "openDuration");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("openDuration must be positive, was " + duration);
      }
      this.openDuration = duration;
      return this;
    }

    /**
     * Probes the half-open state lets through, all of which must succeed to close the circuit, at
     * least 1 (default 1).
     */
    public Builder halfOpenProbes(int probes) {
      if (probes < 1) {
        throw new IllegalArgumentException("halfOpenProbes must be >= 1, was " + probes);
      }
      this.halfOpenProbes = probes;
      return this;
    }

    /**
     * The cooldown after a 429 or an exhausted quota that says no retry-after, zero or more
     * (default 5 s); zero means no cooldown.
     */
    public Builder rateLimitCooldown(Duration cooldown) {
      Objects.requireNonNull(cooldown, "rateLimitCooldown");
      if (cooldown.isNegative()) {
        throw new IllegalArgumentException("rateLimitCooldown must be >= 0, was " + cooldown);
      }
      this.rateLimitCooldown = cooldown;
      return this;
    }

    /** The cap on any cooldown, a server's retry-after included, zero or more (default 5 min). */
    public Builder maxCooldown(Duration max) {
      Objects.requireNonNull(max, "maxCooldown");
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxCooldown must be >= 0, was " + max);
      }
      this.maxCooldown = max;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException when {@code rateLimitCooldown} exceeds {@code maxCooldown}
     */
    public CircuitBreakerPolicy build() {
      if (rateLimitCooldown.compareTo(maxCooldown) > 0) {
        throw new IllegalStateException("rateLimitCooldown " + rateLimitCooldown
            + " exceeds maxCooldown " + maxCooldown + ": raise maxCooldown or lower "
            + "rateLimitCooldown");
      }
      return new CircuitBreakerPolicy(this);
    }
  }
}
