package dev.llmgateway.testing.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * One scripted step: its answer and how it is held back (a delay before it, gates before some of
 * its events). Immutable and thread-safe.
 *
 * @param answer what the step answers
 * @param delay how long to wait before answering (zero: no wait)
 * @param gates the gates by event index, in index order
 */
public record Step(Answer answer, Duration delay, Map<Integer, Gate> gates) {

  /**
   * A gate the step waits at before emitting event {@code index}. Immutable (the latches are the
   * test's, and thread-safe).
   *
   * @param index the event the gate holds back
   * @param open the test's latch; the step waits until it reaches zero
   * @param arrived counted down when the step starts waiting at the gate, or null
   */
  public record Gate(int index, CountDownLatch open, @Nullable CountDownLatch arrived) {
    /** Validates. */
    public Gate {
      if (index < 0) {
        throw new IllegalArgumentException("event index must be >= 0, was " + index);
      }
      Objects.requireNonNull(open, "gate");
    }
  }

  /** Validates and copies (gates sorted by index). */
  public Step {
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(delay, "delay");
    gates = Collections.unmodifiableMap(new TreeMap<>(gates));
  }

  /** Whether the step waits for anything. */
  public boolean waits() {
    return !delay.isZero() || !gates.isEmpty();
  }

  /** A short description for failure messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder(answer.describe());
    if (!delay.isZero()) {
      sb.append(" after a delay of ").append(delay);
    }
    if (!gates.isEmpty()) {
      sb.append(" paused before events ").append(gates.keySet());
    }
    return sb.toString();
  }
}
