package dev.llmgateway.core.internal.health;

import dev.llmgateway.core.resilience.CircuitState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The tripped state: refuses every attempt until a time, and says why it opened. Immutable. */
final class OpenState extends BreakerState {
  private final long untilMillis;
  private final String why;

  /**
   * @param untilMillis epoch millis when the circuit turns half-open
   * @param why how it came to open, e.g. "after 5 consecutive failures (last: ...)"
   */
  OpenState(long untilMillis, String why) {
    this.untilMillis = untilMillis;
    this.why = why;
  }

  /** Epoch millis when the circuit turns half-open. */
  long untilMillis() {
    return untilMillis;
  }

  /** How it came to open. */
  String why() {
    return why;
  }

  /** When the circuit turns half-open. */
  Instant until() {
    return Instant.ofEpochMilli(untilMillis);
  }

  @Override
  CircuitState kind() {
    return CircuitState.OPEN;
  }

  @Override
  Breaker.@Nullable Permit tryAcquire() {
    return null;
  }

  @Override
  String refusal() {
    return "circuit open until " + until() + " " + why;
  }
}
