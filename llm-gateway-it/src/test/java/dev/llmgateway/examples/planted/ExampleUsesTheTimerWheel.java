package dev.llmgateway.examples.planted;

import dev.llmgateway.internal.TimerWheel;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: code in the examples' package (users'
 * code, as far as the rules know) using the project-shared {@code dev.llmgateway.internal}, which
 * is open to the published modules only. Test-only.
 */
public final class ExampleUsesTheTimerWheel {
  private ExampleUsesTheTimerWheel() {}

  /** Takes the timer wheel, which only the published modules may do. */
  public static String use(TimerWheel wheel) {
    return wheel.toString();
  }
}
