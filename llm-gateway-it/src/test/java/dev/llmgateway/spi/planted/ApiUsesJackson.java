package dev.llmgateway.spi.planted;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: api code using Jackson (api knows no
 * JSON library). Test-only.
 */
public final class ApiUsesJackson {
  private ApiUsesJackson() {}

  /** Reads JSON with Jackson, which api must never do. */
  public static String read(ObjectMapper mapper) {
    return mapper.toString();
  }
}
