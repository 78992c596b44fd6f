package dev.llmgateway.it.planted;

import dev.llmgateway.internal.TimerWheel;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: llm-gateway-it (never published)
 * using the project-shared {@code dev.llmgateway.internal}, which is open to the published modules
 * only. Test-only.
 */
public final class ItUsesTheTimerWheel {
  private ItUsesTheTimerWheel() {}

  /** Takes the timer wheel, which only the published modules may do. */
  public static String use(TimerWheel wheel) {
    return wheel.toString();
  }
}
