package dev.llmgateway.testing.planted;

import dev.llmgateway.core.Gateway;
import dev.llmgateway.providers.planted.PlantedProvider;
import dev.llmgateway.spi.Provider;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.extension.Extension;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: a testing class (api, core's public API, providers, OkHttp, JUnit). Test-only.
 */
public final class PlantedFakeProvider {
  private PlantedFakeProvider() {}

  /** Uses what testing may use. */
  public static String fake(
      Gateway gateway, Provider provider, PlantedProvider wire, OkHttpClient client,
      Extension junit) {
    return gateway + " " + provider + wire + client + junit;
  }
}
