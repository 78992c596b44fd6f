package dev.llmgateway.core.internal.structured.planted;

import dev.llmgateway.core.internal.call.Call;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: the structured package using call
 * (structured output is on no request path, so it sees nothing else under core.internal).
 * Test-only.
 */
public final class StructuredUsesCall {
  private StructuredUsesCall() {}

  /** Takes a call, which structured must never do. */
  public static String use(Call call) {
    return call.toString();
  }
}
