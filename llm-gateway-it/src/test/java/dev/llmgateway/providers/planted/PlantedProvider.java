package dev.llmgateway.providers.planted;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.spi.Provider;
import okhttp3.OkHttpClient;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: a providers class (api, OkHttp, Jackson); also the providers class that other
 * planted classes wrongly use. Test-only.
 */
public final class PlantedProvider {
  private PlantedProvider() {}

  /** Uses what providers may use. */
  public static String wire(Provider provider, OkHttpClient client, ObjectMapper codec) {
    return provider + " " + client + codec;
  }
}
