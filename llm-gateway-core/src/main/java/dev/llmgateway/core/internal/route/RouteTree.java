package dev.llmgateway.core.internal.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.internal.call.RouteKey;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.Router;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The route tree: every alias of a gateway compiled at build ({@link RouteCompiler}) into nodes —
 * alias references, rules, A/B splits, downgrades and leaves (a candidate list with its router and
 * the route settings that apply to it) — and what routing knows of every candidate. Per call, the
 * select step ({@link RouteWalk}) starts at the requested alias's node and each node picks the
 * next, recording its step on the call's {@link Selection}, down to one leaf.
 *
 * <p>Immutable after build and thread-safe: a walk only reads the tree (a downgrade node's target
 * and a leaf's route keys are set once, by the compiler, before the gateway is published).
 */
public final class RouteTree {
  private final Map<String, Node> aliases;
  private final boolean downgrades;
  private final Map<Deployment, Known> known;

  RouteTree(Map<String, Node> aliases, boolean downgrades, Map<Deployment, Known> known) {
    this.aliases = aliases;
    this.downgrades = downgrades;
    this.known = known;
  }

  /** Each alias's node, by name (read-only after build). */
  Map<String, Node> aliases() {
    return aliases;
  }

  /** Whether any route downgrades (only then does the walk read the call's downgrade slot). */
  boolean downgrades() {
    return downgrades;
  }

  /** What routing knows of each candidate of every route, by deployment (read-only after build). */
  Map<Deployment, Known> known() {
    return known;
  }

  /** A node of the tree. */
  abstract static class Node {
    /** Walks on to a candidate list, recording each step. */
    abstract Leaf pick(RoutingCall in, Selection selection);

    /**
     * At build: gives each leaf below the route key of every way a walk can reach it from here,
     * arriving with this split alias, variant and downgrade; {@code seen} holds the (node, way)
     * pairs done, so shared subtrees are visited once per way.
     */
    final void reach(@Nullable String splitAlias, @Nullable String variant, boolean downgraded,
        Set<List<Object>> seen) {
      if (seen.add(Arrays.asList(this, splitAlias, variant, downgraded))) {
        reachBelow(splitAlias, variant, downgraded, seen);
      }
    }

    abstract void reachBelow(@Nullable String splitAlias, @Nullable String variant,
        boolean downgraded, Set<List<Object>> seen);
  }

  /** A candidate list with its router and the settings of the route it came from. */
  static final class Leaf extends Node {
    private static final RouteKey[] NO_KEYS = new RouteKey[0];

    final List<Deployment> candidates;
    final Router router;
    final Route settings;
    final String step;
    /** Whether the router is the user's own, so that its answer must be checked. */
    final boolean custom;
    /** The route key of each way a walk reaches this leaf; set by the compiler, at build. */
    private RouteKey[] keys = NO_KEYS;
    /** The last path a walk took to this leaf, immutable: the next walk the same way shares it. */
    private volatile List<String> lastPath = List.of();

    /** The candidates and the route's content-filter fallback: where an answer may come from. */
    final List<Deployment> reachable;

    Leaf(List<Deployment> candidates, Router router, Route settings) {
      this.candidates = candidates;
      Deployment fallback = settings.contentFilterFallback();
      if (fallback == null || candidates.contains(fallback)) {
        this.reachable = candidates;
      } else {
        List<Deployment> all = new ArrayList<>(candidates);
        all.add(fallback);
        this.reachable = List.copyOf(all);
      }
      this.router = router;
      this.settings = settings;
      this.step = "strategy " + router.describe();
      this.custom = !(router.getClass().getEnclosingClass() == Strategies.class);
    }

    @Override
    Leaf pick(RoutingCall in, Selection selection) {
      selection.path.add(step);
      return this;
    }

    @Override
    void reachBelow(@Nullable String splitAlias, @Nullable String variant, boolean downgraded,
        Set<List<Object>> seen) {
      if (find(splitAlias, variant, downgraded) == null) {
        RouteKey[] more = Arrays.copyOf(keys, keys.length + 1);
        more[keys.length] = new RouteKey(this, splitAlias, variant, downgraded);
        keys = more;
      }
    }

    /**
     * The walk's path as an immutable list: the one the last walk here took when it is the same
     * (equal steps), so that a call's decision does not copy its path; else a copy, kept as the
     * last. One list per leaf; a race only makes an extra copy.
     */
    List<String> path(List<String> walked) {
      List<String> last = lastPath;
      if (last.equals(walked)) {
        return last;
      }
      last = List.copyOf(walked);
      lastPath = last;
      return last;
    }

    /**
     * The route key of a walk that reached this leaf the given way: the one made at build (a
     * short scan, no allocation), or a new one for a way the compiler did not foresee.
     */
    RouteKey key(@Nullable String splitAlias, @Nullable String variant, boolean downgraded) {
      RouteKey key = find(splitAlias, variant, downgraded);
      return key != null ? key : new RouteKey(this, splitAlias, variant, downgraded);
    }

    private @Nullable RouteKey find(@Nullable String splitAlias, @Nullable String variant,
        boolean downgraded) {
      for (RouteKey k : keys) {
        if (k.matches(this, splitAlias, variant, downgraded)) {
          return k;
        }
      }
      return null;
    }
  }

  /** A reference to an alias: a route that names one, and each alias's own entry. */
  static final class AliasNode extends Node {
    private final String step;
    private final Node target;

    AliasNode(String step, Node target) {
      this.step = step;
      this.target = target;
    }

    @Override
    Leaf pick(RoutingCall in, Selection selection) {
      selection.path.add(step);
      return target.pick(in, selection);
    }

    @Override
    void reachBelow(@Nullable String splitAlias, @Nullable String variant, boolean downgraded,
        Set<List<Object>> seen) {
      target.reach(splitAlias, variant, downgraded, seen);
    }
  }

  /**
   * A route with a cheaper downgrade: a call marked for downgrade (its {@link
   * dev.llmgateway.core.route.Downgrade} slot) goes to the downgrade alias instead, at the first
   * such route on its walk.
   */
  static final class DowngradeNode extends Node {
    private final Node normal;
    /** The alias whose route downgrades, for messages. */
    final String owner;
    /** The alias it downgrades to. */
    final String alias;
    private @Nullable Node target; // set by the compiler once every alias is compiled

    DowngradeNode(Node normal, String owner, String alias) {
      this.normal = normal;
      this.owner = owner;
      this.alias = alias;
    }

    /** Sets the downgrade alias's node; at build only. */
    void target(Node target) {
      this.target = target;
    }

    @Override
    Leaf pick(RoutingCall in, Selection selection) {
      String reason = selection.downgradeReason;
      if (reason == null || selection.downgraded) {
        return normal.pick(in, selection);
      }
      selection.downgraded = true;
      selection.path.add("downgraded (" + reason + ")");
      return target.pick(in, selection);
    }

    @Override
    void reachBelow(@Nullable String splitAlias, @Nullable String variant, boolean downgraded,
        Set<List<Object>> seen) {
      normal.reach(splitAlias, variant, downgraded, seen);
      if (!downgraded) {
        target.reach(splitAlias, variant, true, seen);
      }
    }
  }

  /** Content rules: the first whose condition holds; the last one always does. */
  static final class RulesNode extends Node {
    private final Condition[] conditions;
    private final Node[] targets;
    private final String[] steps;

    RulesNode(List<Route.Rule> rules, Node[] targets) {
      int n = rules.size();
      this.conditions = new Condition[n];
      this.steps = new String[n];
      this.targets = targets;
      for (int i = 0; i < n; i++) {
        Route.Rule rule = rules.get(i);
        conditions[i] = rule.condition();
        String why = rule.condition().describe();
        steps[i] = i == n - 1 ? "otherwise (no rule matched)"
            : "rule '" + rule.name() + "' " + (why.startsWith("(") ? why : "(" + why + ")");
      }
    }

    @Override
    Leaf pick(RoutingCall in, Selection selection) {
      for (int i = 0; i < conditions.length; i++) {
        if (conditions[i].test(in)) {
          selection.path.add(steps[i]);
          return targets[i].pick(in, selection);
        }
      }
      throw new IllegalStateException("the otherwise rule always matches");
    }

    @Override
    void reachBelow(@Nullable String splitAlias, @Nullable String variant, boolean downgraded,
        Set<List<Object>> seen) {
      for (Node target : targets) {
        target.reach(splitAlias, variant, downgraded, seen);
      }
    }
  }

  /** An A/B split: weighted rendezvous hashing on the sticky key, or a weighted draw. */
  static final class SplitNode extends Node {
    private final String alias;
    private final String[] names;
    private final long[] weights;
    private final long[] seeds;
    private final long total;
    private final Node[] targets;
    private final String[] steps;
    private final StickyKey key;

    SplitNode(String alias, List<Variant> variants, @Nullable StickyKey key, Node[] targets) {
      int n = variants.size();
      this.alias = alias;
      this.names = new String[n];
      this.weights = new long[n];
      this.seeds = new long[n];
      this.steps = new String[n];
      this.targets = targets;
      this.key = key == null ? StickyKey.none() : key;
      long sum = 0;
      for (int i = 0; i < n; i++) {
        Variant v = variants.get(i);
        names[i] = v.name();
        weights[i] = v.weight();
        seeds[i] = mix(fnv(v.name()));
        steps[i] = "variant " + v.name();
        sum += v.weight();
      }
      this.total = sum;
    }

    @Override
    Leaf pick(RoutingCall in, Selection selection) {
      String sticky = key.of(in);
      int i = sticky == null ? draw(in.random().nextLong(total)) : variantOf(sticky);
      selection.variant = names[i];
      selection.splitAlias = alias;
      selection.path.add(steps[i]);
      return targets[i].pick(in, selection);
    }

    @Override
    void reachBelow(@Nullable String splitAlias, @Nullable String variant, boolean downgraded,
        Set<List<Object>> seen) {
      for (int i = 0; i < targets.length; i++) {
        targets[i].reach(alias, names[i], downgraded, seen);
      }
    }

    /** The variant a draw in [0, total) falls in. */
    int draw(long r) {
      int i = 0;
      while (r >= weights[i]) {
        r -= weights[i];
        i++;
      }
      return i;
    }

    /**
     * The sticky key's variant: the highest {@code weight / -ln(u)} where {@code u} is a uniform
     * hash of (key, variant). Changing one variant's weight only moves keys to or from it, and
     * the share of keys each variant gets is its share of the weights.
     */
    int variantOf(String stickyKey) {
      long h = fnv(stickyKey);
      int best = -1;
      double bestScore = -1;
      for (int i = 0; i < weights.length; i++) {
        if (weights[i] == 0) {
          continue;
        }
        long x = mix(h ^ seeds[i]);
        double u = ((x >>> 11) + 0.5) * 0x1.0p-53; // in (0, 1)
        double score = weights[i] / -Math.log(u);
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      return best;
    }

    private static long fnv(String s) {
      long h = 0xcbf29ce484222325L;
      for (int i = 0; i < s.length(); i++) {
        h ^= s.charAt(i);
        h *= 0x100000001b3L;
      }
      return h;
    }

    /** SplitMix64's finaliser: spreads every input bit over the output. */
    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      return z ^ (z >>> 31);
    }
  }
}
