package dev.llmgateway.otel.planted;

import okhttp3.OkHttpClient;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: otel code using OkHttp (otel knows
 * no transport). Test-only.
 */
public final class OtelUsesOkHttp {
  private OtelUsesOkHttp() {}

  /** Takes an OkHttp client, which otel must never do. */
  public static String send(OkHttpClient client) {
    return client.toString();
  }
}
