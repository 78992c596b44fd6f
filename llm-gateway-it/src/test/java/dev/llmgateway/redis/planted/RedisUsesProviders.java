package dev.llmgateway.redis.planted;

import dev.llmgateway.providers.planted.PlantedProvider;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: redis code using a providers class
 * (shared stores know no transport). Test-only.
 */
public final class RedisUsesProviders {
  private RedisUsesProviders() {}

  /** Takes a providers type, which redis must never do. */
  public static String store(PlantedProvider provider) {
    return provider.toString();
  }
}
