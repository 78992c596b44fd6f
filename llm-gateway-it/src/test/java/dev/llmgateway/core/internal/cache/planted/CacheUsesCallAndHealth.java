package dev.llmgateway.core.internal.cache.planted;

import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.internal.cache.CacheKey;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Selected;
import dev.llmgateway.core.internal.health.Breaker;
import dev.llmgateway.core.internal.health.planted.HealthUsesCall;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: a step (cache) using the call package, health (here also through a planted health
 * class, so the package-cycle rule sees one arrow cache -> health), its own package and core's
 * public API. Test-only.
 */
public final class CacheUsesCallAndHealth {
  private CacheUsesCallAndHealth() {}

  /** Uses what a step may use. */
  public static String use(
      Call call, Selected selected, Breaker breaker, HealthUsesCall health, CacheKey key,
      ResponseCache cache) {
    return call + " " + selected + " " + breaker + " " + health + " " + key + " " + cache;
  }
}
