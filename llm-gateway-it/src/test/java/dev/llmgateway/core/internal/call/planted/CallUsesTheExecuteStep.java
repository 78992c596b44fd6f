package dev.llmgateway.core.internal.call.planted;

import dev.llmgateway.core.internal.execute.Planner;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: the shared call package using the
 * execute step (call lies beneath every step and imports none). Test-only.
 */
public final class CallUsesTheExecuteStep {
  private CallUsesTheExecuteStep() {}

  /** Takes an execute step class, which call must never do. */
  public static String use(Planner planner) {
    return planner.toString();
  }
}
