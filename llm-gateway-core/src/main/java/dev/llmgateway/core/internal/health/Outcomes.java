package dev.llmgateway.core.internal.health;

import dev.llmgateway.Attempt;
import dev.llmgateway.GatewayException;
import org.jspecify.annotations.Nullable;

/** Tells a deployment's breaker how an attempt ended: the one place attempts are counted. */
public final class Outcomes {
  private Outcomes() {}

  /**
   * Counts an ended attempt.
   *
   * @param tookNanos the latency sample of a success: the whole answer of a unary call, the time
   *     to first token of a stream
   * @param firstToken whether the sample is a stream's time to first token
   */
  public static void count(Breaker breaker, Attempt attempt, @Nullable GatewayException error,
      long tookNanos, boolean firstToken) {
    long took = tookNanos;
    if (attempt.outcome() == Attempt.Outcome.SUCCEEDED) {
      breaker.onSuccess(took, firstToken);
    } else if (attempt.outcome() == Attempt.Outcome.FAILED && error != null) {
      breaker.onFailure(error, took);
    } else {
      breaker.onCancelled();
    }
  }
}
