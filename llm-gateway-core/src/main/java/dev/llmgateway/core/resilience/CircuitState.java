package dev.llmgateway.core.resilience;

/** The state of one deployment's circuit breaker (see {@link CircuitBreakerPolicy}). */
public enum CircuitState {
  /** Healthy: attempts go through while failures are counted. */
  CLOSED,
  /** Tripped: attempts are refused until the open duration has passed. */
  OPEN,
  /** Testing: a few probe attempts go through; their outcome closes or reopens the circuit. */
  HALF_OPEN
}
