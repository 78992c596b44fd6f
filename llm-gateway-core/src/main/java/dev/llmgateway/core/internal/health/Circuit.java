package dev.llmgateway.core.internal.health;

import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.CircuitState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The state machine of one deployment's circuit (see {@link CircuitBreakerPolicy}): closed until
 * the {@link FailureWindow} trips, open for the open duration, then half-open until its probes
 * close it again or one of them fails and opens it anew. Closing starts the window afresh. Each
 * grant hands out the {@link Breaker.Permit} of the state that granted it, and an ended attempt
 * brings its permit back: only the half-open state's own probes free its slots and decide its
 * verdict (an attempt granted before it, ending now, is no probe).
 *
 * <p>Thread safety: the current state is a volatile field, so {@link #kind()} and
 * {@link #isClosed()} may be read from any thread. Every other method reads or changes the state
 * and must run under the owning breaker's lock, which serializes the transitions (Failsafe's
 * "writes guarded by this"). The window is cleared before the closed state is published, so a
 * success that sees the circuit closed without the lock counts in the new window.
 */
final class Circuit {
  private final int probes;
  private final long openMillis;
  private final FailureWindow window;
  private volatile BreakerState state = ClosedState.INSTANCE;

  Circuit(CircuitBreakerPolicy policy, FailureWindow window) {
    this.probes = policy.halfOpenProbes();
    this.openMillis = Math.max(1, Millis.of(policy.openDuration()));
    this.window = window;
  }

  /** The state as last moved (an open circuit whose time is up still reads open). Any thread. */
  CircuitState kind() {
    return state.kind();
  }

  /** Whether the circuit is closed: one volatile read. Any thread. */
  boolean isClosed() {
    return state == ClosedState.INSTANCE;
  }

  /** An open circuit whose time is up at {@code now} turns half-open. */
  void advance(long now) {
    if (state instanceof OpenState open && now >= open.untilMillis()) {
      state = new HalfOpenState(probes);
    }
  }

  /**
   * The permit of an attempt that may start, the cooldown aside (half-open: takes a probe slot);
   * null when it may not.
   */
  Breaker.@Nullable Permit tryAcquire() {
    return state.tryAcquire();
  }

  /**
   * An attempt ended that neither closes nor opens the circuit: frees its slot when it was a probe
   * of the half-open state now.
   */
  void release(Breaker.Permit permit) {
    state.release(permit);
  }

  /** Why {@link #tryAcquire()} refuses now; null when it grants. */
  @Nullable String refusal() {
    return state.refusal();
  }

  /** When an open circuit turns half-open; null when it is not open. */
  @Nullable Instant openUntil() {
    return state instanceof OpenState open ? open.until() : null;
  }

  /**
   * A success ended an attempt. Half-open, when the attempt was one of its probes: the last of the
   * successes it needs closes the circuit.
   *
   * @return whether the circuit closed
   */
  boolean succeeded(Breaker.Permit permit) {
    if (state instanceof HalfOpenState halfOpen && halfOpen.succeeded(permit)) {
      window.clear();
      state = ClosedState.INSTANCE;
      return true;
    }
    return false;
  }

  /**
   * A failure that counts ended an attempt, after the window recorded it. A half-open circuit
   * opens again when the attempt was one of its probes (an earlier attempt's failure leaves the
   * verdict to the probes); a closed one opens when the window trips; an open one stays as it is
   * (the attempt started before it opened).
   *
   * @param permit the permit the attempt held
   * @param error the failure's class, named in the reason
   * @param inARow the failures in a row, as {@link FailureWindow#recordFailure(long)} returned
   * @return what happened, for the log, when the circuit opened; else null
   */
  @Nullable String failed(long now, Breaker.Permit permit, Class<?> error, int inARow) {
    BreakerState s = state;
    if (s instanceof HalfOpenState halfOpen) {
      return halfOpen.granted(permit) ? open(now, "after a failed probe", error) : null;
    }
    if (s instanceof ClosedState) {
      @Nullable String trip = window.tripReason(now, inARow);
      return trip == null ? null : open(now, trip, error);
    }
    return null;
  }

  private String open(long now, String why, Class<?> error) {
    OpenState open = new OpenState(Millis.plus(now, openMillis),
        why + " (last: " + error.getSimpleName() + ")");
    state = open;
    return "opened until " + open.until() + " " + open.why();
  }
}
