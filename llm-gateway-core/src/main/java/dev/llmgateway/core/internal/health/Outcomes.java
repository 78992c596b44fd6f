package dev.llmgateway.core.internal.health;

import dev.llmgateway.Attempt;
import dev.llmgateway.GatewayException;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallLog;
import org.jspecify.annotations.Nullable;

/** Tells a deployment's breaker how an attempt ended: the one place attempts are counted. */
public final class Outcomes {
  private Outcomes() {}

  /**
   * Counts an ended attempt at the breaker of the state it was granted, handing back its permit.
   *
   * @param granted the state the attempt was granted, with its permit ({@link
   *     DeploymentState#permit()})
   * @param tookNanos the latency sample of a success: the whole answer of a unary call, the time
   *     to first token of a stream
   * @param firstToken whether the sample is a stream's time to first token
   * @param call the call the attempt was made for, named when the circuit opens or closes
   *     ({@link CallLog#circuitOpened}, {@link CallLog#circuitClosed})
   */
  public static void count(DeploymentState granted, Attempt attempt,
      @Nullable GatewayException error, long tookNanos, boolean firstToken, Call call) {
    Breaker breaker = granted.breaker();
    Breaker.Permit permit = granted.permit();
    if (attempt.outcome() == Attempt.Outcome.SUCCEEDED) {
      if (breaker.onSuccess(permit, tookNanos, firstToken)) {
        CallLog.circuitClosed(call, granted.deployment());
      }
    } else if (attempt.outcome() == Attempt.Outcome.FAILED && error != null) {
      String opened = breaker.onFailure(permit, error, tookNanos);
      if (opened != null) {
        CallLog.circuitOpened(call, granted.deployment(), opened);
      }
    } else {
      breaker.onCancelled(permit);
    }
  }
}
