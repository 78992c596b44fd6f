package dev.llmgateway.testing.planted;

import dev.llmgateway.otel.planted.PlantedOtelListener;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: testing code using otel (test
 * doubles drag in no telemetry). Test-only.
 */
public final class TestingUsesOtel {
  private TestingUsesOtel() {}

  /** Takes an otel type, which testing must never do. */
  public static String listen(PlantedOtelListener listener) {
    return listener.toString();
  }
}
