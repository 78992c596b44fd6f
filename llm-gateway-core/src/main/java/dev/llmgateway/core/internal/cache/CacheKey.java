package dev.llmgateway.core.internal.cache;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.core.internal.call.RouteKey;
import dev.llmgateway.core.internal.call.Selected;
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
 * the hash, computed once when the key is made, only rules out keys that differ. The key holds the
 * request itself (no array of its parts per key) and reads only those parts of it. Immutable and
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
  /** The request whose answer-deciding parts (above) make the key; only those are read. */
  private final GatewayRequest request;
  private final int hash;

  private CacheKey(int scopeKind, @Nullable String scope, RouteKey route, GatewayRequest request,
      int partsHash) {
    this.scopeKind = scopeKind;
    this.scope = scope;
    this.route = route;
    this.request = request;
    int h = partsHash;
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
    int h = 1; // as Arrays.hashCode over the parts, without an array of them
    if (request instanceof ChatRequest r) {
      h = 31 * h + Objects.hashCode(r.model());
      h = 31 * h + Objects.hashCode(r.messages());
      h = 31 * h + Objects.hashCode(r.tools());
      h = 31 * h + Objects.hashCode(r.toolChoice());
      h = 31 * h + Objects.hashCode(r.responseFormat());
      h = 31 * h + Objects.hashCode(r.reasoning());
      h = 31 * h + Objects.hashCode(r.temperature());
      h = 31 * h + Objects.hashCode(r.topP());
      h = 31 * h + Objects.hashCode(r.maxOutputTokens());
      h = 31 * h + Objects.hashCode(r.stop());
      h = 31 * h + Objects.hashCode(r.seed());
      h = 31 * h + Objects.hashCode(r.providerExtras());
    } else if (request instanceof EmbeddingRequest r) {
      h = 31 * h + Objects.hashCode(r.model());
      h = 31 * h + Objects.hashCode(r.inputs());
      h = 31 * h + Objects.hashCode(r.dimensions());
      h = 31 * h + Objects.hashCode(r.providerExtras());
    } else {
      throw new IllegalArgumentException(
          "no cache key for a " + request.getClass().getSimpleName());
    }
    return new CacheKey(scopeKind, scope, route, request, h);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CacheKey k
        && hash == k.hash
        && route.equals(k.route)
        && scopeKind == k.scopeKind
        && Objects.equals(scope, k.scope)
        && sameParts(request, k.request);
  }

  /** Whether two requests agree on every part that decides the answer. */
  private static boolean sameParts(GatewayRequest a, GatewayRequest b) {
    if (a == b) {
      return true;
    }
    if (a instanceof ChatRequest x && b instanceof ChatRequest y) {
      return Objects.equals(x.model(), y.model())
          && Objects.equals(x.messages(), y.messages())
          && Objects.equals(x.tools(), y.tools())
          && Objects.equals(x.toolChoice(), y.toolChoice())
          && Objects.equals(x.responseFormat(), y.responseFormat())
          && Objects.equals(x.reasoning(), y.reasoning())
          && Objects.equals(x.temperature(), y.temperature())
          && Objects.equals(x.topP(), y.topP())
          && Objects.equals(x.maxOutputTokens(), y.maxOutputTokens())
          && Objects.equals(x.stop(), y.stop())
          && Objects.equals(x.seed(), y.seed())
          && Objects.equals(x.providerExtras(), y.providerExtras());
    }
    if (a instanceof EmbeddingRequest x && b instanceof EmbeddingRequest y) {
      return Objects.equals(x.model(), y.model())
          && Objects.equals(x.inputs(), y.inputs())
          && Objects.equals(x.dimensions(), y.dimensions())
          && Objects.equals(x.providerExtras(), y.providerExtras());
    }
    return false;
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
