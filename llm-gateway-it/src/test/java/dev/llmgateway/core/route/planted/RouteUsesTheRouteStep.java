package dev.llmgateway.core.route.planted;

import dev.llmgateway.core.internal.route.RouteTree;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: a class of core's public route group
 * using the route step's walk (the public API reaches that step only through the built-in
 * strategies behind Router's and Route's factories). Test-only.
 */
public final class RouteUsesTheRouteStep {
  private RouteUsesTheRouteStep() {}

  /** Takes a route step class, which core's public API must never do. */
  public static String use(RouteTree routing) {
    return routing.toString();
  }
}
