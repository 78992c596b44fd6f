package dev.llmgateway.core.internal.health;

import dev.llmgateway.core.resilience.CircuitState;
import org.jspecify.annotations.Nullable;

/**
 * The testing state: up to {@code probes} attempts at a time go through; that many successes close
 * the circuit. A fresh instance each time the circuit turns half-open. Not thread-safe: guarded by
 * the owning breaker's lock.
 */
final class HalfOpenState extends BreakerState {
  private final int probes;
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
  boolean tryAcquire() {
    if (inFlight < probes) {
      inFlight++;
      return true;
    }
    return false;
  }

  /**
   * Frees a probe slot. An attempt granted before the circuit opened that ends now frees one too:
   * its outcome is fresh evidence, so it counts as a probe's.
   */
  @Override
  void release() {
    if (inFlight > 0) {
      inFlight--;
    }
  }

  /** A probe succeeded: frees its slot; true when enough probes have succeeded to close. */
  boolean succeeded() {
    release();
    return ++successes >= probes;
  }

  @Override
  @Nullable String refusal() {
    return inFlight < probes ? null
        : "circuit half-open with " + inFlight + " of " + probes + " probe(s) in flight";
  }
}
