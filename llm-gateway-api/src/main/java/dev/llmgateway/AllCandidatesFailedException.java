package dev.llmgateway;

import java.util.List;

/**
 * Every candidate deployment of the call failed. {@link #attempts()} tells each attempt's story and
 * {@link #getSuppressed()} holds each failure; the last failure is the cause.
 */
public class AllCandidatesFailedException extends GatewayException {
  private final List<Attempt> attempts;

  /** Creates one from the attempts and their failures, in order. */
  public AllCandidatesFailedException(List<Attempt> attempts, List<GatewayException> failures) {
    super(describe(attempts), ErrorDetails.NONE,
        failures.isEmpty() ? null : failures.get(failures.size() - 1));
    this.attempts = List.copyOf(attempts);
    for (int i = 0; i < failures.size() - 1; i++) {
      addSuppressed(failures.get(i));
    }
  }

  private static String describe(List<Attempt> attempts) {
    StringBuilder sb = new StringBuilder("every candidate failed: ");
    for (int i = 0; i < attempts.size(); i++) {
      Attempt a = attempts.get(i);
      if (i > 0) {
        sb.append("; ");
      }
      if (a.outcome() == Attempt.Outcome.SKIPPED) {
        sb.append("skipped ").append(a.deployment()).append(" (").append(a.reason()).append(')');
        continue;
      }
      sb.append('#').append(a.number()).append(' ').append(a.deployment()).append(' ')
          .append(a.outcome() == Attempt.Outcome.FAILED ? a.errorType() : a.outcome());
      if (a.httpStatus() != null) {
        sb.append(" (").append(a.httpStatus()).append(')');
      }
    }
    return sb.toString();
  }

  /** Every attempt, in order. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /** Retriable when the last failure was: trying again later may succeed. */
  @Override
  public boolean isRetriable() {
    return getCause() instanceof GatewayException g && g.isRetriable();
  }
}
