package dev.llmgateway.core.internal.health.planted;

import dev.llmgateway.core.internal.chain.RealGateway;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: the shared health package using the
 * chain (health lies beneath the steps and the chain that assembles them). Test-only.
 */
public final class HealthUsesTheChain {
  private HealthUsesTheChain() {}

  /** Takes a chain class, which health must never do. */
  public static String use(RealGateway chain) {
    return chain.toString();
  }
}
