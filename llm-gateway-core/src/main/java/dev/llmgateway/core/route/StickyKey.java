package dev.llmgateway.core.route;

import dev.llmgateway.Principal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What keeps a caller on the same A/B variant of a {@link Route#split split}: calls with the same
 * key land in the same variant as long as the weights do not change. A call whose key is null is
 * placed at random (weighted).
 */
@FunctionalInterface
public interface StickyKey {

  /** The call's key, or null to place it at random. */
  @Nullable String of(RoutingInput input);

  /** Sticky by the authenticated principal's user id. */
  static StickyKey user() {
    return in -> {
      Principal p = in.call().principal();
      return p == null ? null : p.userId();
    };
  }

  /** Sticky by the authenticated principal's team id. */
  static StickyKey team() {
    return in -> {
      Principal p = in.call().principal();
      return p == null ? null : p.teamId();
    };
  }

  /** Sticky by a request metadata value (e.g. a session or conversation id). */
  static StickyKey metadata(String key) {
    Objects.requireNonNull(key, "key");
    return in -> in.metadata().get(key);
  }

  /** Not sticky: every call is placed at random, by weight. */
  static StickyKey none() {
    return in -> null;
  }
}
