package dev.llmgateway.otel.planted;

import dev.llmgateway.providers.planted.PlantedProvider;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: otel code using a providers class
 * (otel knows no transport). Test-only.
 */
public final class OtelUsesProviders {
  private OtelUsesProviders() {}

  /** Takes a providers type, which otel must never do. */
  public static String trace(PlantedProvider provider) {
    return provider.toString();
  }
}
