package dev.llmgateway.report.planted;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.report.UsageReport;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Clean counterpart for ArchitectureRulesCatchViolationsTest: report code using Jackson, picocli and
 * its own module's types only. Test-only.
 */
public final class ReportUsesOnlyJacksonAndPicocli {
  private ReportUsesOnlyJacksonAndPicocli() {}

  /** Reads a field with Jackson and names the report's schema and a picocli command. */
  public static String schema(JsonNode node, CommandSpec command) {
    return node.path("schema").asText() + "/" + UsageReport.SCHEMA + " " + command.name();
  }
}
