package dev.llmgateway.redis.planted;

import dev.llmgateway.core.Gateway;
import dev.llmgateway.spi.UsageSink;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: a redis class (api, core). Test-only.
 */
public final class PlantedRedisStore {
  private PlantedRedisStore() {}

  /** Uses what redis may use. */
  public static String store(Gateway gateway, UsageSink sink) {
    return gateway + " " + sink;
  }
}
