package dev.llmgateway.testing.planted;

import dev.llmgateway.core.internal.chain.RealGateway;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: testing code using core's internal
 * package (only core may). Test-only.
 */
public final class TestingUsesCoreInternal {
  private TestingUsesCoreInternal() {}

  /** Takes a core internal type, which no other module may do. */
  public static String peek(RealGateway gateway) {
    return gateway.toString();
  }
}
