package dev.llmgateway.core.planted;

import okhttp3.OkHttpClient;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: core code using OkHttp (core knows
 * no OkHttp). Test-only.
 */
public final class CoreUsesOkHttp {
  private CoreUsesOkHttp() {}

  /** Takes an OkHttp client, which core must never do. */
  public static String send(OkHttpClient client) {
    return client.toString();
  }
}
