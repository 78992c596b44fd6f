package dev.llmgateway.core.internal.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.internal.health.Deployments;
import dev.llmgateway.core.internal.route.RouteTree.AliasNode;
import dev.llmgateway.core.internal.route.RouteTree.DowngradeNode;
import dev.llmgateway.core.internal.route.RouteTree.Leaf;
import dev.llmgateway.core.internal.route.RouteTree.Node;
import dev.llmgateway.core.internal.route.RouteTree.RulesNode;
import dev.llmgateway.core.internal.route.RouteTree.SplitNode;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.spi.Provider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Build time: compiles a gateway's aliases into its {@link RouteTree route tree}. Each alias is
 * compiled once however many routes name it; a route names only aliases and providers that exist
 * (or {@code build()} fails saying which), its candidates are all deployments (a name without a
 * provider, such as another alias's, fails naming the alias being defined), aliases do not lead
 * back to themselves, every downgrade
 * names an alias, a split's or rules route's retry, hedge and content-filter settings are
 * inherited by the routes inside it that lack their own, what routing knows of each candidate
 * (capabilities, breaker, price) is resolved here, once, and so is the route key of every way a
 * walk can reach each candidate list (its split, variant and downgrade), which the cache keys by.
 *
 * <p>Used once, on the thread that builds the gateway; not thread-safe.
 */
public final class RouteCompiler {
  private final Map<String, Route> routes;
  private final Map<String, Provider> providers;
  private final Deployments deployments;
  private final PriceTable prices;
  private final Map<String, Node> done = new HashMap<>();
  private final List<DowngradeNode> downgrades = new ArrayList<>();
  private final Map<Deployment, Known> known = new HashMap<>();

  private RouteCompiler(GatewayConfig config, Deployments deployments) {
    this.routes = config.aliases();
    this.providers = config.providers();
    this.deployments = deployments;
    this.prices = config.prices();
  }

  /**
   * The route tree of the configured aliases.
   *
   * @param config the gateway's configuration: its aliases, providers and prices
   * @param deployments the gateway's deployments, for each candidate's breaker
   * @return the tree, immutable from now on
   * @throws IllegalStateException if a route names an unknown alias or provider, has a candidate
   *     that is not a deployment, or downgrades to an unknown alias, or aliases lead back to
   *     themselves
   */
  public static RouteTree compile(GatewayConfig config, Deployments deployments) {
    return new RouteCompiler(config, deployments).compile();
  }

  private RouteTree compile() {
    Map<String, Node> aliases = new HashMap<>();
    for (String name : routes.keySet()) {
      aliases.put(name, new AliasNode("alias " + name, compileAlias(name, new ArrayDeque<>())));
    }
    for (DowngradeNode d : downgrades) {
      Node target = aliases.get(d.alias);
      if (target == null) {
        throw new IllegalStateException("alias '" + d.owner + "' downgrades to '" + d.alias
            + "' but no alias has that name (aliases: " + routes.keySet() + ")");
      }
      d.target(target);
    }
    Set<List<Object>> seen = new HashSet<>();
    for (Node alias : aliases.values()) {
      alias.reach(null, null, false, seen);
    }
    return new RouteTree(aliases, !downgrades.isEmpty(), known);
  }

  private Node compileAlias(String name, Deque<String> visiting) {
    Node node = done.get(name);
    if (node != null) {
      return node;
    }
    if (visiting.contains(name)) {
      List<String> cycle = new ArrayList<>(visiting);
      Collections.reverse(cycle);
      cycle.add(name);
      throw new IllegalStateException("aliases lead back to themselves: "
          + String.join(" → ", cycle.subList(cycle.indexOf(name), cycle.size())));
    }
    Route route = routes.get(name);
    if (route == null) {
      throw new IllegalStateException("a route names alias '" + name
          + "' but no alias has that name (aliases: " + routes.keySet() + ")");
    }
    visiting.push(name);
    node = compile(route, name, null, visiting);
    visiting.pop();
    done.put(name, node);
    return node;
  }

  private Node compile(Route route, String alias, @Nullable Route inherited,
      Deque<String> visiting) {
    Node node = compileShape(route, alias, inherited, visiting);
    if (route.downgrade() == null) {
      return node;
    }
    DowngradeNode downgrade = new DowngradeNode(node, alias, route.downgrade());
    downgrades.add(downgrade); // its target is resolved once every alias is compiled
    return downgrade;
  }

  private Node compileShape(Route route, String alias, @Nullable Route inherited,
      Deque<String> visiting) {
    Route settings = inherit(route, inherited);
    switch (route.kind()) {
      case CANDIDATES:
        return leaf(route, alias, settings);
      case SPLIT:
        List<Variant> variants = route.variants();
        Node[] targets = new Node[variants.size()];
        for (int i = 0; i < targets.length; i++) {
          targets[i] = compile(variants.get(i).route(), alias, settings, visiting);
        }
        return new SplitNode(alias, variants, route.stickyKey(), targets);
      case RULES:
        List<Route.Rule> rules = route.ruleList();
        Node[] ruleTargets = new Node[rules.size()];
        for (int i = 0; i < ruleTargets.length; i++) {
          ruleTargets[i] = compile(rules.get(i).target(), alias, settings, visiting);
        }
        return new RulesNode(rules, ruleTargets);
      default:
        String name = route.reference();
        return new AliasNode("alias " + name, compileAlias(name, visiting));
    }
  }

  private Leaf leaf(Route route, String alias, Route settings) {
    if (!route.invalidCandidates().isEmpty()) {
      throw new IllegalStateException(notADeployment(alias, route.invalidCandidates().get(0)));
    }
    for (Deployment d : route.candidates()) {
      if (!providers.containsKey(d.provider())) {
        throw new IllegalStateException("alias '" + alias + "' points at '" + d
            + "' but no provider is named '" + d.provider() + "' (providers: "
            + providers.keySet() + ")");
      }
    }
    Deployment fallback = settings.contentFilterFallback();
    if (fallback != null && !providers.containsKey(fallback.provider())) {
      throw new IllegalStateException("alias '" + alias + "' falls back to '" + fallback
          + "' on content filtering but no provider is named '" + fallback.provider() + "'");
    }
    for (Deployment d : route.candidates()) {
      known.computeIfAbsent(d, this::resolve);
    }
    return new Leaf(route.candidates(), route.router(), settings);
  }

  /**
   * Why a candidate written without a provider cannot be one: an alias's name (candidates are
   * deployments; {@code Route.target} routes to an alias), or a bare model (which provider's?).
   */
  private String notADeployment(String alias, String name) {
    String takes = "alias '" + alias + "': Route.fallback and the other candidate routes (cheapest,"
        + " weighted, ...) take deployments written provider/model, but '" + name + "' ";
    if (routes.containsKey(name)) {
      return takes + "is an alias; to send calls to alias '" + name + "', define '" + alias
          + "' as Route.target(\"" + name + "\") (or name '" + name + "' as a rule's or a "
          + "variant's target), or list deployments";
    }
    String example = providers.isEmpty() ? "provider/" + name
        : providers.keySet().iterator().next() + "/" + name;
    return takes + "has no provider part and is no alias: write it as '" + example + "'"
        + (providers.size() > 1 ? " or with another provider " + providers.keySet() : "");
  }

  private Known resolve(Deployment d) {
    return Known.of(d, providers, deployments, prices);
  }

  /** The route with the settings it lacks taken from the enclosing split or rules route. */
  private static Route inherit(Route route, @Nullable Route outer) {
    if (outer == null) {
      return route;
    }
    Route r = route;
    if (r.retryPolicy() == null && outer.retryPolicy() != null) {
      r = r.retry(outer.retryPolicy());
    }
    if (r.hedgePolicy() == null && outer.hedgePolicy() != null) {
      r = r.hedge(outer.hedgePolicy());
    }
    if (r.contentFilterFallback() == null && outer.contentFilterFallback() != null) {
      r = r.onContentFiltered(outer.contentFilterFallback().toString());
    }
    return r;
  }
}
