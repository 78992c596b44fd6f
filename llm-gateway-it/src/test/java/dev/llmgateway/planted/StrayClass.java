package dev.llmgateway.planted;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: a class under dev.llmgateway in a
 * package no module owns, which every module rule would miss. Test-only.
 */
public final class StrayClass {
  private StrayClass() {}

  /** Does nothing; its package is the violation. */
  public static String name() {
    return "stray";
  }
}
