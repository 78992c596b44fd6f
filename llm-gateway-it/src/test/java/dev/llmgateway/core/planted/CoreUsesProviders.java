package dev.llmgateway.core.planted;

import dev.llmgateway.providers.planted.PlantedProvider;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: core code using a providers class
 * (core knows no wire format). Test-only.
 */
public final class CoreUsesProviders {
  private CoreUsesProviders() {}

  /** Takes a providers type, which core must never do. */
  public static String route(PlantedProvider provider) {
    return provider.toString();
  }
}
