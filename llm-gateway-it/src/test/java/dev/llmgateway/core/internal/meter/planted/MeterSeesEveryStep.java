package dev.llmgateway.core.internal.meter.planted;

import dev.llmgateway.core.internal.auth.AuthInterceptor;
import dev.llmgateway.core.internal.cache.CacheOutcome;
import dev.llmgateway.core.internal.execute.Planner;
import dev.llmgateway.core.internal.route.Experiments;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: the meter package, which (like chain) may see every step. Test-only.
 */
public final class MeterSeesEveryStep {
  private MeterSeesEveryStep() {}

  /** Uses what the meter may use. */
  public static String use(
      AuthInterceptor auth, CacheOutcome cache, Experiments experiments, Planner planner) {
    return auth + " " + cache + " " + experiments + " " + planner;
  }
}
