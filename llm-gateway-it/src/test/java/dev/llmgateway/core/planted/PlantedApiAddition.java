package dev.llmgateway.core.planted;

/**
 * Planted change for ApiBaselineCatchesChangesTest: a public class in core's package root that
 * no baseline records, standing for a public type someone adds to core. Test-only: it lives in
 * llm-gateway-it's test classes, so it never counts as core's own API.
 */
public final class PlantedApiAddition {
  private PlantedApiAddition() {}

  /** The one public method of the planted class. */
  public static String plantedMethod() {
    return "planted";
  }
}
