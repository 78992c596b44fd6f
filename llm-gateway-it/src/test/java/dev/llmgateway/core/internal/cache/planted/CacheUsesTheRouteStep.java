package dev.llmgateway.core.internal.cache.planted;

import dev.llmgateway.core.internal.route.RouteTree;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: the cache step using the route step's
 * walk (a step sees no other step: the cache reads the walk's outcome from the call's Selected
 * slot). Test-only.
 */
public final class CacheUsesTheRouteStep {
  private CacheUsesTheRouteStep() {}

  /** Takes a route step class, which the cache step must never do. */
  public static String use(RouteTree routing) {
    return routing.toString();
  }
}
