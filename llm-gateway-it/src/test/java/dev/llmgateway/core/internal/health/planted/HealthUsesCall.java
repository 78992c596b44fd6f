package dev.llmgateway.core.internal.health.planted;

import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.internal.health.Breaker;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: the health package using the call package and its own. Test-only.
 */
public final class HealthUsesCall {
  private HealthUsesCall() {}

  /** Uses what health may use. */
  public static String use(GatewayConfig config, Call call, Breaker breaker) {
    return config + " " + call + " " + breaker;
  }
}
