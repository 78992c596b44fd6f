package dev.llmgateway.core.internal.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.internal.call.RouteKey;
import dev.llmgateway.core.internal.call.Selected;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where one call's walk ended up: the candidate list reached (or the deployment of a model that is
 * not an alias), the steps taken, the A/B variant and whether a downgrade redirected it. Made by
 * {@link RouteWalk#select} and filled in by the nodes of the {@link RouteTree route tree} as the walk
 * passes them; kept as the call's {@link Selected} slot. Used on the calling thread only.
 */
final class Selection implements Selected {
  final RoutingCall input;
  RouteTree.@Nullable Leaf leaf;
  final List<Deployment> direct;
  final List<String> path;
  @Nullable String variant;
  @Nullable String splitAlias;
  boolean downgraded;
  @Nullable String downgradeReason;

  Selection(RoutingCall input, RouteTree.@Nullable Leaf leaf, List<Deployment> direct,
      List<String> path) {
    this.input = input;
    this.leaf = leaf;
    this.direct = direct;
    this.path = path;
  }

  @Override
  public List<String> path() {
    return path;
  }

  /**
   * The path as an immutable list, for the call's decision: shared with earlier walks that took
   * the same path to the same leaf ({@link RouteTree.Leaf#path}).
   */
  List<String> decisionPath() {
    RouteTree.Leaf reached = leaf;
    return reached == null ? List.copyOf(path) : reached.path(path);
  }

  @Override
  public boolean downgraded() {
    return downgraded;
  }

  @Override
  public @Nullable String variant() {
    return variant;
  }

  @Override
  public @Nullable String splitAlias() {
    return splitAlias;
  }

  @Override
  public List<Deployment> reachable() {
    RouteTree.Leaf reached = leaf;
    return reached == null ? direct : reached.reachable;
  }

  @Override
  public RouteKey routeKey() {
    RouteTree.Leaf reached = leaf;
    return reached == null ? RouteKey.DIRECT : reached.key(splitAlias, variant, downgraded);
  }
}
