package dev.llmgateway.providers.planted;

import dev.llmgateway.core.Gateway;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: providers code using core (providers
 * know no routing). Test-only.
 */
public final class ProvidersUsesCore {
  private ProvidersUsesCore() {}

  /** Takes a core type, which providers must never do. */
  public static String describe(Gateway gateway) {
    return gateway.toString();
  }
}
