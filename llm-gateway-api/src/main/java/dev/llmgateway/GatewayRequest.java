package dev.llmgateway;

import java.util.Map;

/**
 * What travels down the interceptor chain: a {@link ChatRequest} or an {@link EmbeddingRequest}.
 */
public sealed interface GatewayRequest permits ChatRequest, EmbeddingRequest {

  /** The requested model: an alias, a {@code provider/model} deployment or a bare model name. */
  String model();

  /** Options that steer the gateway. */
  RequestOptions options();

  /** Extra HTTP headers to send to the provider (values are never printed). */
  Map<String, String> extraHeaders();

  /**
   * Extra fields per provider name, as raw JSON objects merged into that provider's request body.
   */
  Map<String, String> providerExtras();

  /** This request with another model (used by routing and by interceptors that rewrite). */
  GatewayRequest withModel(String model);
}
