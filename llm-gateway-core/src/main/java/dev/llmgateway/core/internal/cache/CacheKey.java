package dev.llmgateway.core.internal.cache;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.core.internal.call.RouteKey;
import dev.llmgateway.core.internal.call.Selected;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The response cache's key: who may share the entry, where routing sends the call, and the parts
 * of the request that decide the answer. For a chat request those are the model (or alias), the
 * messages, tools, tool choice, response format, reasoning settings, temperature, top-p, output
 * token limit, stop sequences, seed and provider extras; for an embedding request the model, the
 * inputs, the dimensions and the provider extras. Options (deadline, tags, bypass), extra headers,
 * metadata and the prompt cache key steer the gateway or the provider's own caching, not the
 * answer, so they are left out (metadata that steers routing is covered by the route part).
 *
 * <p>Two keys are equal only when every part is: the scope's kind and value, the {@link RouteKey
 * route key} (candidate list, split, variant, downgrade) and each request part, compared in full;
 * the hash, computed once when the key is made, only rules out keys that differ. Immutable and
 * thread-safe; {@link #toString()} prints no request content and no identity.
 */
public final class CacheKey {
  /** Who may share: everyone. */
  static final int SHARED = 0;
  /** Who may share: one user. */
  static final int USER = 1;
  /** Who may share: the holders of one key or token. */
  static final int KEY = 2;
  /** Who may share: one team. */
  static final int TEAM = 3;

  private final int scopeKind;
  private final @Nullable String scope;
  private final RouteKey route;
  private final Object[] parts;
  private final int hash;

  private CacheKey(int scopeKind, @Nullable String scope, RouteKey route, Object[] parts) {
    this.scopeKind = scopeKind;
    this.scope = scope;
    this.route = route;
    this.parts = parts;
    int h = Arrays.hashCode(parts);
    h = 31 * h + route.hashCode();
    h = 31 * h + scopeKind;
    this.hash = 31 * h + Objects.hashCode(scope);
  }

  /**
   * The key of a request.
   *
   * @param scopeKind one of {@link #SHARED}, {@link #USER}, {@link #KEY}, {@link #TEAM}
   * @param scope the user, key id or team; null for {@link #SHARED}
   * @param route the routing walk's {@link Selected#routeKey() route key}
   * @param request a chat or embedding request
   */
  public static CacheKey of(int scopeKind, @Nullable String scope, RouteKey route,
      GatewayRequest request) {
    Object[] parts;
    if (request instanceof ChatRequest r) {
      parts = new Object[] {r.model(), r.messages(), r.tools(), r.toolChoice(),
          r.responseFormat(), r.reasoning(), r.temperature(), r.topP(), r.maxOutputTokens(),
          r.stop(), r.seed(), r.providerExtras()};
    } else if (request instanceof EmbeddingRequest r) {
      parts = new Object[] {r.model(), r.inputs(), r.dimensions(), r.providerExtras()};
    } else {
      throw new IllegalArgumentException(
          "no cache key for a " + request.getClass().getSimpleName());
    }
    return new CacheKey(scopeKind, scope, route, parts);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CacheKey k
        && hash == k.hash
        && route.equals(k.route)
        && scopeKind == k.scopeKind
        && Objects.equals(scope, k.scope)
        && Arrays.equals(parts, k.parts);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "CacheKey[" + Integer.toHexString(hash) + "]";
  }
}
