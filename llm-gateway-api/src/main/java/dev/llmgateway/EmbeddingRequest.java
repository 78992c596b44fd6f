package dev.llmgateway;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request for embeddings of one or more inputs.
 *
 * @param model the model, alias or {@code provider/model} deployment
 * @param inputs the texts to embed, in order
 * @param dimensions the wanted vector size where the model can shorten its output, or null
 * @param options options that steer the gateway
 * @param providerExtras extra raw JSON fields per provider name
 * @param extraHeaders extra HTTP headers (values are never printed)
 */
public record EmbeddingRequest(
    String model,
    List<String> inputs,
    @Nullable Integer dimensions,
    RequestOptions options,
    Map<String, String> providerExtras,
    Map<String, String> extraHeaders)
    implements GatewayRequest {

  /** Validates and copies. */
  public EmbeddingRequest {
    Objects.requireNonNull(model, "model");
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(options, "options");
    providerExtras = Map.copyOf(providerExtras);
    extraHeaders = Map.copyOf(extraHeaders);
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("an embedding request needs at least one input");
    }
    if (dimensions != null && dimensions <= 0) {
      throw new IllegalArgumentException("dimensions must be > 0, was " + dimensions);
    }
  }

  /** Embeddings of the given inputs. */
  public static EmbeddingRequest of(String model, String... inputs) {
    return new EmbeddingRequest(
        model, List.of(inputs), null, RequestOptions.DEFAULT, Map.of(), Map.of());
  }

  @Override
  public EmbeddingRequest withModel(String model) {
    return new EmbeddingRequest(model, inputs, dimensions, options, providerExtras, extraHeaders);
  }

  /** This request with a vector size. */
  public EmbeddingRequest withDimensions(int dimensions) {
    return new EmbeddingRequest(model, inputs, dimensions, options, providerExtras, extraHeaders);
  }

  /** This request with options. */
  public EmbeddingRequest withOptions(RequestOptions options) {
    return new EmbeddingRequest(model, inputs, dimensions, options, providerExtras, extraHeaders);
  }

  @Override
  public String toString() {
    return "EmbeddingRequest[model=" + model + ", inputs=" + inputs.size()
        + (dimensions == null ? "" : ", dimensions=" + dimensions)
        + (extraHeaders.isEmpty() ? "" : ", extraHeaders=" + extraHeaders.keySet()) + "]";
  }
}
