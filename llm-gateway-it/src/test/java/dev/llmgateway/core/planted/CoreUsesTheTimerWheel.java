package dev.llmgateway.core.planted;

import dev.llmgateway.internal.TimerWheel;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: core, a published module, using the project-shared {@code dev.llmgateway.internal}.
 * Test-only.
 */
public final class CoreUsesTheTimerWheel {
  private CoreUsesTheTimerWheel() {}

  /** Uses what a published module may use. */
  public static String use(TimerWheel wheel) {
    return wheel.toString();
  }
}
