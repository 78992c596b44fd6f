package dev.llmgateway.core.resilience;

import dev.llmgateway.core.internal.call.Checks;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings for one deployment that override the gateway's (set with {@link
 * dev.llmgateway.core.GatewayBuilder#deployment(String, DeploymentPolicy)}); an unset value inherits. Immutable.
 *
 * <pre>{@code
 * .deployment("local/llama3", DeploymentPolicy.builder()
 *     .attemptTimeout(Duration.ofSeconds(20)).retry(RetryPolicy.none()).build())
 * }</pre>
 */
public final class DeploymentPolicy {
  private final @Nullable RetryPolicy retry;
  private final @Nullable Duration attemptTimeout;
  private final @Nullable Duration firstTokenTimeout;
  private final @Nullable Duration idleTimeout;
  private final @Nullable CircuitBreakerPolicy circuitBreaker;

  private DeploymentPolicy(Builder b) {
    this.retry = b.retry;
    this.attemptTimeout = b.attemptTimeout;
    this.firstTokenTimeout = b.firstTokenTimeout;
    this.idleTimeout = b.idleTimeout;
    this.circuitBreaker = b.circuitBreaker;
  }

  /** A builder with nothing overridden. */
  public static Builder builder() {
    return new Builder();
  }

  /** The retry policy, or null to inherit the route's or gateway's. */
  public @Nullable RetryPolicy retry() {
    return retry;
  }

  /** The attempt timeout, or null to inherit. */
  public @Nullable Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** The first-token timeout of streams, or null to inherit. */
  public @Nullable Duration firstTokenTimeout() {
    return firstTokenTimeout;
  }

  /** The idle timeout between stream events, or null to inherit. */
  public @Nullable Duration idleTimeout() {
    return idleTimeout;
  }

  /** The circuit breaker, or null to inherit. */
  public @Nullable CircuitBreakerPolicy circuitBreaker() {
    return circuitBreaker;
  }

  @Override
  public String toString() {
    return "DeploymentPolicy[retry=" + retry + ", attemptTimeout=" + attemptTimeout
        + ", firstTokenTimeout=" + firstTokenTimeout + ", idleTimeout=" + idleTimeout
        + ", circuitBreaker=" + circuitBreaker + "]";
  }

  /** Builds a {@link DeploymentPolicy}. */
  public static final class Builder {
    private @Nullable RetryPolicy retry;
    private @Nullable Duration attemptTimeout;
    private @Nullable Duration firstTokenTimeout;
    private @Nullable Duration idleTimeout;
    private @Nullable CircuitBreakerPolicy circuitBreaker;

    private Builder() {}

    /** Overrides the retry policy. */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Overrides the attempt timeout ({@link dev.llmgateway.core.GatewayBuilder#attemptTimeout(Duration)}). */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = Checks.positive("attemptTimeout", timeout);
      return this;
    }

    /** Overrides the first-token timeout ({@link dev.llmgateway.core.GatewayBuilder#firstTokenTimeout(Duration)}). */
    public Builder firstTokenTimeout(Duration timeout) {
      this.firstTokenTimeout = Checks.positive("firstTokenTimeout", timeout);
      return this;
    }

    /** Overrides the idle timeout ({@link dev.llmgateway.core.GatewayBuilder#idleTimeout(Duration)}). */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Checks.positive("idleTimeout", timeout);
      return this;
    }

    /** Overrides the circuit breaker ({@link dev.llmgateway.core.GatewayBuilder#circuitBreaker}). */
    public Builder circuitBreaker(CircuitBreakerPolicy policy) {
      this.circuitBreaker = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The policy. */
    public DeploymentPolicy build() {
      return new DeploymentPolicy(this);
    }
  }
}
