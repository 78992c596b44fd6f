package dev.llmgateway.core.internal.quota.planted;

import dev.llmgateway.core.internal.meter.MeterInterceptor;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: a step that the rules' list of steps
 * does not name (a future quota step) is a step all the same, and may not use the meter (the
 * outermost step, which sees the others; none sees it). Test-only.
 */
public final class QuotaUsesTheMeter {
  private QuotaUsesTheMeter() {}

  /** Takes the meter, which no step may do. */
  public static String use(MeterInterceptor meter) {
    return meter.toString();
  }
}
