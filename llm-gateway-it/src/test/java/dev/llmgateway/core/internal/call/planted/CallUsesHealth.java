package dev.llmgateway.core.internal.call.planted;

import dev.llmgateway.core.internal.health.Breaker;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: the call package using health
 * (health may use call, not the other way round). Test-only.
 */
public final class CallUsesHealth {
  private CallUsesHealth() {}

  /** Takes a health class, which call must never do. */
  public static String use(Breaker breaker) {
    return breaker.toString();
  }
}
