package dev.llmgateway.core.resilience;

import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.route.Route;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How often one deployment is tried again after a retriable failure, and how long to wait in
 * between: exponential backoff with jitter and a cap, or the server's own delay ({@code
 * Retry-After}) when it gave one. A server delay longer than {@link #maxRetryAfter()}, or longer
 * than the call has left, is not waited for: the call fails over to its next candidate at once.
 * Immutable.
 *
 * <p>Set per gateway ({@link GatewayBuilder#retry(RetryPolicy)}), per route ({@link
 * Route#retry(RetryPolicy)}) and per deployment ({@link DeploymentPolicy}); the most specific
 * wins: deployment, then route, then gateway. Which failures are retried is decided by {@link
 * GatewayBuilder#onFailure(Class, FailureAction)}.
 *
 * <pre>{@code
 * RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 */
public final class RetryPolicy {
  private static final RetryPolicy NONE = new Builder().build();
  private static final RetryPolicy DEFAULTS = new Builder().maxAttempts(3)
      .backoff(Duration.ofMillis(500), Duration.ofSeconds(8)).jitter(0.25)
      .maxRetryAfter(Duration.ofSeconds(60)).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final Duration maxRetryAfter;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxRetryAfter = b.maxRetryAfter;
  }

  /** One attempt per deployment: failures fail over at once. */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * The gateway's default, as the official OpenAI and Anthropic SDKs retry: 3 attempts at one
   * deployment (2 retries), backoff 500 ms doubling to 8 s with ±25 % jitter, a server's {@code
   * Retry-After} honoured up to 60 s. Which failures are retried is {@link
   * GatewayBuilder#onFailure}'s: by default rate limits (429), unavailable and overloaded providers
   * (5xx, 529, connection failures); timeouts and exhausted quotas fail over, request errors stop.
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder with the defaults: 1 attempt, backoff 200 ms doubling to 5 s, jitter 0.2. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.multiplier = multiplier;
    b.jitter = jitter;
    b.maxRetryAfter = maxRetryAfter;
    return b;
  }

  /** Attempts at one deployment, the first included (1 = no retry). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before the first retry, before jitter. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The longest computed wait, before jitter. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** The factor between consecutive waits. */
  public double multiplier() {
    return multiplier;
  }

  /** The relative spread of a computed wait: 0.2 means ±20 %. */
  public double jitter() {
    return jitter;
  }

  /** The longest server-given delay the gateway waits for before a retry. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry).
   *
   * @param retryAfter the server's delay, or null: when given it is used as is (no jitter)
   * @param random a number in [0, 1) choosing the jitter
   */
  public long delayNanos(int retry, @Nullable Duration retryAfter, double random) {
    if (retryAfter != null) {
      return Math.max(0, retryAfter.toNanos());
    }
    double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
    base = Math.min(base, maxBackoff.toNanos());
    return (long) (base * (1 + jitter * (2 * random - 1)));
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".."
        + maxBackoff + " x" + multiplier + ", jitter=" + jitter + ", maxRetryAfter="
        + maxRetryAfter + "]";
  }

  /** Builds a {@link RetryPolicy}; setters check their argument. */
  public static final class Builder {
    private int maxAttempts = 1;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private double multiplier = 2;
    private double jitter = 0.2;
    private Duration maxRetryAfter = Duration.ofSeconds(30);

    private Builder() {}

    /** Attempts at one deployment, the first included; at least 1. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Waits {@code initial}, then doubling ({@link #multiplier(double)}) up to {@code max}. */
    public Builder backoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was " + initial
            + " and " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** The factor between consecutive waits; at least 1. */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1)) {
        throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** The relative spread of a computed wait, in [0, 1]: 0.2 means ±20 %. */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * The longest server-given delay ({@code Retry-After}) worth waiting for; a longer one fails
     * over at once. Defaults to 30 s.
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
      if (maxRetryAfter.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must not be negative, was "
            + maxRetryAfter);
      }
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /** The policy. */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
