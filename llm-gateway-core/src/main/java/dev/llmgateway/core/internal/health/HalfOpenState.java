package dev.llmgateway.core.internal.health;

import dev.llmgateway.core.resilience.CircuitState;
import org.jspecify.annotations.Nullable;

/**
 * The testing state: it lets {@code probes} attempts through, each holding this state's own
 * {@link Breaker.Permit}; when all of them succeed the circuit closes, when one fails it opens
 * again. A probe that ends without a verdict (cancelled, or an error that counts neither way)
 * gives its place to another; a success keeps its place, so the state never admits more probes
 * than it needs successes. Only the probes count: an attempt granted before (by the closed
 * circuit, or by an earlier half-open state) holds another permit, and its outcome frees no slot
 * and counts toward no verdict here. A fresh instance, with a fresh permit, each time the circuit
 * turns half-open.
 *
 * <p>Not thread-safe: guarded by the owning breaker's lock.
 */
final class HalfOpenState extends BreakerState {
  private final int probes;
  private final Breaker.Permit permit = new Breaker.Permit();
  private int inFlight;
  private int successes;

  HalfOpenState(int probes) {
    this.probes = probes;
  }

  @Override
  CircuitState kind() {
    return CircuitState.HALF_OPEN;
  }

  @Override
  Breaker.@Nullable Permit tryAcquire() {
    if (inFlight + successes < probes) {
      inFlight++;
      return permit;
    }
    return null;
  }

  /** Whether {@code p} is the permit of one of this state's probes. */
  boolean granted(Breaker.Permit p) {
    return p == permit;
  }

  /** Frees the slot of a probe that ended without a verdict; other permits free nothing. */
  @Override
  void release(Breaker.Permit p) {
    if (p == permit && inFlight > 0) {
      inFlight--;
    }
  }

  /**
   * An attempt holding {@code p} succeeded. A probe's success keeps its slot and counts; true when
   * the last of the probes needed has succeeded. Another permit's success counts nothing here.
   */
  boolean succeeded(Breaker.Permit p) {
    if (p != permit || inFlight == 0) {
      return false;
    }
    inFlight--;
    return ++successes >= probes;
  }

  @Override
  @Nullable String refusal() {
    if (inFlight + successes < probes) {
      return null;
    }
    return "circuit half-open with " + inFlight + " of " + probes + " probe(s) in flight"
        + (successes == 0 ? "" : " and " + successes + " succeeded");
  }
}
