package dev.llmgateway.otel.planted;

import dev.llmgateway.core.Gateway;
import dev.llmgateway.spi.GatewayListener;
import io.opentelemetry.api.trace.Tracer;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: a otel class (api, core, OpenTelemetry API); also the otel class that other planted
 * classes wrongly use. Test-only.
 */
public final class PlantedOtelListener {
  private PlantedOtelListener() {}

  /** Uses what otel may use. */
  public static String trace(Gateway gateway, GatewayListener listener, Tracer tracer) {
    return gateway + " " + listener + tracer;
  }
}
