package dev.llmgateway.core.planted;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.core.internal.chain.RealGateway;
import org.slf4j.Logger;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: a core class (api, its own internals, SLF4J, Jackson). Test-only.
 */
public final class CoreUsesItsOwnInternals {
  private CoreUsesItsOwnInternals() {}

  /** Uses what core may use. */
  public static String use(
      RealGateway gateway, ChatRequest request, Logger log, ObjectMapper priceTable) {
    return gateway + " " + request + " " + log.getName() + priceTable;
  }
}
