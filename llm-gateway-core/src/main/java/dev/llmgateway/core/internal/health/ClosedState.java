package dev.llmgateway.core.internal.health;

import dev.llmgateway.core.resilience.CircuitState;

/** The healthy state: every attempt goes through. One shared instance; immutable. */
final class ClosedState extends BreakerState {
  static final ClosedState INSTANCE = new ClosedState();

  private ClosedState() {}

  @Override
  CircuitState kind() {
    return CircuitState.CLOSED;
  }

  @Override
  boolean tryAcquire() {
    return true;
  }
}
