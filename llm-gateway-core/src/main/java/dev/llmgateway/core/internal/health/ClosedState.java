package dev.llmgateway.core.internal.health;

import dev.llmgateway.core.resilience.CircuitState;

/**
 * The healthy state: every attempt goes through, each with the one shared {@link
 * Breaker.Permit#CLOSED} permit. One shared instance; immutable.
 */
final class ClosedState extends BreakerState {
  static final ClosedState INSTANCE = new ClosedState();

  private ClosedState() {}

  @Override
  CircuitState kind() {
    return CircuitState.CLOSED;
  }

  @Override
  Breaker.Permit tryAcquire() {
    return Breaker.Permit.CLOSED;
  }
}
