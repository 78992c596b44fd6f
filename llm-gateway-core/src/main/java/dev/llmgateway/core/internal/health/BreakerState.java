package dev.llmgateway.core.internal.health;

import dev.llmgateway.core.resilience.CircuitState;
import org.jspecify.annotations.Nullable;

/**
 * One state of a deployment's circuit, a class per state as Failsafe keeps them: what it grants,
 * what an ended attempt frees, why it refuses. {@link Circuit} moves from one to the next.
 *
 * <p>Not thread-safe on its own: a state's fields are read and changed only under the owning
 * breaker's lock. {@link ClosedState} and {@link OpenState} are immutable.
 */
abstract sealed class BreakerState permits ClosedState, OpenState, HalfOpenState {
  /** The public name of this state. */
  abstract CircuitState kind();

  /**
   * The permit of an attempt that may start, the cooldown aside; null when it may not. A half-open
   * state takes a probe slot and hands out its own permit.
   */
  abstract Breaker.@Nullable Permit tryAcquire();

  /**
   * An attempt holding {@code permit} ended without closing or opening the circuit: a half-open
   * state frees the slot of its own probe; any other permit changes nothing.
   */
  void release(Breaker.Permit permit) {}

  /** Why {@link #tryAcquire()} refuses now, without the deployment's name; null when it grants. */
  @Nullable String refusal() {
    return null;
  }
}
