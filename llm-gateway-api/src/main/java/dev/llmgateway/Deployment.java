package dev.llmgateway;

import java.util.Objects;

/**
 * One provider name plus one model: the unit that gets a circuit breaker, latency statistics and a
 * price. Written {@code provider/model} and split on the first {@code /}, so OpenRouter's {@code
 * openrouter/meta-llama/llama-3.1-70b} keeps {@code meta-llama/llama-3.1-70b} as its model.
 *
 * @param provider the configured provider's name
 * @param model the provider's model name
 */
public record Deployment(String provider, String model) {
  /** Validates. */
  public Deployment {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    if (provider.isBlank() || model.isBlank()) {
      throw new IllegalArgumentException(
          "a deployment needs a provider and a model, was '" + provider + "/" + model + "'");
    }
  }

  /** Parses {@code provider/model}, splitting on the first {@code /}. */
  public static Deployment parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException(
          "a deployment is written provider/model, was '" + text + "'");
    }
    return new Deployment(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public String toString() {
    return provider + "/" + model;
  }
}
