package dev.llmgateway.core.internal.call;

import dev.llmgateway.Deployment;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the route step's walk sent a call, as the steps after it may read it (the call's {@link
 * Call#tag(Class) slot} of this type): the cache keys its entries by it, metering credits the A/B
 * variant. The route step's own selection implements it.
 */
public interface Selected {

  /**
   * What, besides the request itself, decides where the call goes: the candidate list reached (or
   * {@link RouteKey#DIRECT} for a deployment or bare model), the A/B split and variant, and the
   * downgrade. Calls routed differently (A/B arms, a downgrade, a classifier's label) have keys
   * that are not equal, whatever their hashes; one made at build, so naming it allocates nothing.
   */
  RouteKey routeKey();

  /**
   * Where an answer to the call may come from: the candidate list reached (or the deployment of a
   * model that is not an alias) and its route's content-filter fallback.
   */
  List<Deployment> reachable();

  /** The steps of the walk so far, for the decision trail. */
  List<String> path();

  /** The A/B variant, or null. */
  @Nullable String variant();

  /** The alias whose split chose the variant, or null. */
  @Nullable String splitAlias();

  /** Whether a budget downgrade redirected the walk. */
  boolean downgraded();
}
