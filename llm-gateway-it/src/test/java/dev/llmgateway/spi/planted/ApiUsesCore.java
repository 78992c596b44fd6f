package dev.llmgateway.spi.planted;

import dev.llmgateway.core.Gateway;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: api code using core (arrows point
 * down only). Test-only.
 */
public final class ApiUsesCore {
  private ApiUsesCore() {}

  /** Takes a core type, which api must never do. */
  public static String describe(Gateway gateway) {
    return gateway.toString();
  }
}
