package dev.llmgateway.core.internal.call;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the route step's walk sent a call, as far as it decides the answer: the candidate list
 * reached, the A/B split and variant that chose it, and whether a budget downgrade redirected the
 * walk. The response cache keeps it in its key, so that calls routed differently (split arms, a
 * downgrade, a routing rule's other target) never share an answer.
 *
 * <p>Equality compares every part in full: the candidate list by identity (the route step has one
 * object per list of its gateway's route tree), the split's alias and the variant as strings, the
 * downgrade as a flag. The hash only speeds the lookup; two keys with equal hashes and different
 * parts are different keys. The route step makes its keys at build, one per way a list can be
 * reached, so that naming a call's key allocates nothing.
 *
 * <p>Immutable and thread-safe; {@link #toString()} prints the variant and the downgrade, nothing
 * of the request or the caller.
 */
public final class RouteKey {
  /**
   * The key of a call to a model that is not an alias: its deployment follows from the model name,
   * which the request part of a cache key already holds.
   */
  public static final RouteKey DIRECT = new RouteKey(new Object(), null, null, false);

  private final Object candidates;
  private final @Nullable String splitAlias;
  private final @Nullable String variant;
  private final boolean downgraded;
  private final int hash;

  /**
   * A route key.
   *
   * @param candidates the candidate list reached, compared by identity
   * @param splitAlias the alias whose A/B split chose the variant, or null
   * @param variant the A/B variant, or null
   * @param downgraded whether a budget downgrade redirected the walk
   */
  public RouteKey(Object candidates, @Nullable String splitAlias, @Nullable String variant,
      boolean downgraded) {
    this.candidates = Objects.requireNonNull(candidates, "candidates");
    this.splitAlias = splitAlias;
    this.variant = variant;
    this.downgraded = downgraded;
    int h = System.identityHashCode(candidates);
    h = 31 * h + Objects.hashCode(splitAlias);
    h = 31 * h + Objects.hashCode(variant);
    this.hash = 31 * h + (downgraded ? 1 : 0);
  }

  /** Whether this key names the same candidate list reached the same way. */
  public boolean matches(Object candidates, @Nullable String splitAlias, @Nullable String variant,
      boolean downgraded) {
    return this.candidates == candidates
        && this.downgraded == downgraded
        && Objects.equals(this.variant, variant)
        && Objects.equals(this.splitAlias, splitAlias);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || o instanceof RouteKey k && hash == k.hash
        && k.matches(candidates, splitAlias, variant, downgraded);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "RouteKey[" + (this == DIRECT ? "direct" : "variant=" + variant
        + (downgraded ? ", downgraded" : "")) + "]";
  }
}
