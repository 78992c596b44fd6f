package dev.llmgateway.report.planted;

import dev.llmgateway.ChatRequest;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: report code using api's vocabulary
 * (the report reads files and knows no gateway code). Test-only.
 */
public final class ReportUsesApi {
  private ReportUsesApi() {}

  /** Takes an api type, which the report must never do. */
  public static String model(ChatRequest request) {
    return request.toString();
  }
}
