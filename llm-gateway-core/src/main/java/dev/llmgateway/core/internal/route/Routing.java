package dev.llmgateway.core.internal.route;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.internal.call.Guard;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.call.Selected;
import dev.llmgateway.core.internal.health.Breaker;
import dev.llmgateway.core.internal.health.Deployments;
import dev.llmgateway.core.route.Classifier;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Downgrade;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.Router;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Step 6's machinery: the aliases compiled at build into a tree of nodes (rules, splits, alias
 * references, candidate lists with their strategy), and per call the walk from the requested
 * alias to one candidate list, the strategy's order, and the capability filter. The walk is done
 * once per call and kept on the call, so the cache step (which needs the A/B variant for its key)
 * and the route step share it.
 */
public final class Routing {
  private static final double[] NO_PRICE = new double[0];
  private static final List<String> DIRECT_PATH = List.of("deployment");
  private static final List<String> DEFAULT_PATH = List.of("default provider");
  /** The classifier whose call is running on this thread, if any. */
  private static final ThreadLocal<@Nullable Classifier> CLASSIFYING = new ThreadLocal<>();

  private final Map<String, Node> aliases = new HashMap<>();
  /** Whether any route downgrades (only then does routing read the call's attribute). */
  private final boolean downgrades;
  private final List<DowngradeNode> downgradeNodes = new ArrayList<>();
  private final Map<String, Provider> providers;
  private final @Nullable String defaultProvider;
  private final Deployments deployments;
  private final PriceTable prices;
  private final Gateway gateway;
  private final @Nullable RandomGenerator random;
  /** What routing knows of each candidate of every route, resolved at build (read-only after). */
  private final Map<Deployment, Known> known = new HashMap<>();
  /** The same for deployments called directly, resolved on first use. */
  private final ConcurrentHashMap<Deployment, Known> direct = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Classifier, Guard> classifierGuards = new ConcurrentHashMap<>();
  private int leaves;

  public Routing(GatewayConfig config, Deployments deployments, Gateway gateway) {
    this.providers = config.providers();
    this.defaultProvider = config.defaultProvider();
    this.deployments = deployments;
    this.prices = config.prices();
    this.gateway = gateway;
    this.random = config.random();
    Map<String, Route> routes = config.aliases();
    Map<String, Node> done = new HashMap<>();
    for (String name : routes.keySet()) {
      aliases.put(name, new AliasNode("alias " + name,
          compileAlias(name, routes, done, new ArrayDeque<>())));
    }
    for (DowngradeNode d : downgradeNodes) {
      Node target = aliases.get(d.alias);
      if (target == null) {
        throw new IllegalStateException("alias '" + d.owner + "' downgrades to '" + d.alias
            + "' but no alias has that name (aliases: " + routes.keySet() + ")");
      }
      d.target = target;
    }
    this.downgrades = !downgradeNodes.isEmpty();
    downgradeNodes.clear();
  }

  // ---------------------------------------------------------------- build

  private Node compileAlias(String name, Map<String, Route> routes, Map<String, Node> done,
      Deque<String> visiting) {
    Node node = done.get(name);
    if (node != null) {
      return node;
    }
    if (visiting.contains(name)) {
      List<String> cycle = new ArrayList<>(visiting);
      java.util.Collections.reverse(cycle);
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
    node = compile(route, name, null, routes, done, visiting);
    visiting.pop();
    done.put(name, node);
    return node;
  }

  private Node compile(Route route, String alias, @Nullable Route inherited,
      Map<String, Route> routes, Map<String, Node> done, Deque<String> visiting) {
    Node node = compileShape(route, alias, inherited, routes, done, visiting);
    if (route.downgrade() == null) {
      return node;
    }
    DowngradeNode downgrade = new DowngradeNode(node, alias, route.downgrade());
    downgradeNodes.add(downgrade); // its target is resolved once every alias is compiled
    return downgrade;
  }

  private Node compileShape(Route route, String alias, @Nullable Route inherited,
      Map<String, Route> routes, Map<String, Node> done, Deque<String> visiting) {
    Route settings = inherit(route, inherited);
    switch (route.kind()) {
      case CANDIDATES:
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
          known.computeIfAbsent(d, this::newKnown);
        }
        return new Leaf(leaves++, route.candidates(), route.router(), settings);
      case SPLIT:
        List<Variant> variants = route.variants();
        Node[] targets = new Node[variants.size()];
        for (int i = 0; i < targets.length; i++) {
          targets[i] = compile(variants.get(i).route(), alias, settings, routes, done, visiting);
        }
        return new SplitNode(alias, variants, route.stickyKey(), targets);
      case RULES:
        List<Route.Rule> rules = route.ruleList();
        Node[] ruleTargets = new Node[rules.size()];
        for (int i = 0; i < ruleTargets.length; i++) {
          ruleTargets[i] = compile(rules.get(i).target(), alias, settings, routes, done,
              visiting);
        }
        return new RulesNode(rules, ruleTargets);
      default:
        String name = route.reference();
        return new AliasNode("alias " + name, compileAlias(name, routes, done, visiting));
    }
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

  // ---------------------------------------------------------------- per call

  /** The walk from the requested model to a candidate list; once per call, then kept. */
  public Selection select(Call call, GatewayRequest request) {
    Selected known = call.tag(Selected.class);
    if (known instanceof Selection selection) {
      return selection;
    }
    Selection selection;
    RoutingCall in = new RoutingCall(this, call, request);
    String model = request.model();
    Node node = aliases.get(model);
    if (node == null) {
      selection = new Selection(in, null, resolve(model), model.indexOf('/') > 0 && providers
          .containsKey(model.substring(0, model.indexOf('/'))) ? DIRECT_PATH : DEFAULT_PATH);
    } else {
      selection = new Selection(in, null, List.of(), new ArrayList<>(4));
      if (downgrades) {
        Downgrade downgrade = call.tag(Downgrade.class);
        if (downgrade != null) {
          selection.downgradeReason = downgrade.reason();
        }
      }
      selection.leaf = node.pick(in, selection);
    }
    call.tag(Selected.class, selection);
    return selection;
  }

  /**
   * Decides the call's plan: the strategy's order of the selected candidates, minus those that
   * cannot serve the request; sets it as the call's {@link Plan}.
   */
  public Plan route(Call call, GatewayRequest request) {
    Selection selection = select(call, request);
    RoutingCall in = selection.input;
    Leaf leaf = selection.leaf;
    List<Deployment> ordered;
    if (leaf == null) {
      ordered = selection.direct;
    } else {
      in.candidates(leaf.candidates);
      ordered = leaf.router.order(in);
      if (leaf.custom) {
        ordered = checked(leaf, ordered);
      }
    }
    List<RoutingDecision.Skip> skipped = List.of();
    List<Deployment> plan = ordered;
    if (leaf != null || ordered.size() > 1) {
      for (int i = 0; i < ordered.size(); i++) {
        Deployment d = ordered.get(i);
        String unfit = unfit(d, in, call.kind());
        if (unfit != null) {
          if (skipped.isEmpty()) {
            skipped = new ArrayList<>(2);
            plan = new ArrayList<>(ordered.subList(0, i));
          }
          skipped.add(new RoutingDecision.Skip(d, unfit));
        } else if (!skipped.isEmpty()) {
          plan.add(d);
        }
      }
    }
    if (plan.isEmpty()) {
      throw new UnsupportedCapabilityException("no candidate of '" + request.model()
          + "' can serve this request: " + skipped + " (as each Provider.capabilities(model)"
          + " says)");
    }
    Plan result = new Plan(plan, leaf == null ? null : leaf.settings,
        new RoutingDecision(selection.path, selection.variant, plan, skipped,
            selection.downgraded));
    call.tag(Plan.class, result);
    return result;
  }

  private static List<Deployment> checked(Leaf leaf, @Nullable List<Deployment> ordered) {
    if (ordered == null || ordered.isEmpty()) {
      throw new GatewayInternalException("router '" + leaf.router.describe()
          + "' returned no candidate");
    }
    Set<Deployment> allowed = new HashSet<>(leaf.candidates);
    for (Deployment d : ordered) {
      if (!allowed.contains(d)) {
        throw new GatewayInternalException("router '" + leaf.router.describe() + "' returned "
            + d + ", which is not one of its candidates " + leaf.candidates);
      }
    }
    return ordered;
  }

  /** Why the deployment cannot serve the request, or null when it can (as far as known). */
  private @Nullable String unfit(Deployment d, RoutingCall in, CallKind kind) {
    if (!providers.containsKey(d.provider())) {
      return "no provider is named '" + d.provider() + "'";
    }
    ModelCapabilities caps = known(d).capabilities;
    if (kind == CallKind.EMBED) {
      return caps.embeddings() ? null : "no embeddings";
    }
    if (kind == CallKind.STREAM ? !caps.streaming() : !caps.chat()) {
      return kind == CallKind.STREAM ? "no streaming" : "no chat";
    }
    if (in.toolsRequested() && !caps.tools()) {
      return "no tool calling";
    }
    if (!caps.vision() && in.hasImages()) {
      return "no image input";
    }
    if (!caps.documents() && in.hasDocuments()) {
      return "no document input";
    }
    if (!caps.jsonSchema() && in.request() instanceof ChatRequest chat
        && chat.responseFormat() != null
        && chat.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
      return "no JSON schema output";
    }
    int window = caps.contextWindow();
    if (window > 0) {
      long input = in.estimatedInputTokens();
      long output = in.maxOutputTokens();
      if (input + output > window) {
        return "context window " + window + " < estimated " + input + " input + " + output
            + " output tokens";
      }
    }
    return null;
  }

  /** The plan of a model that is not an alias: a deployment, or a bare model. */
  private List<Deployment> resolve(String model) {
    int slash = model.indexOf('/');
    if (slash > 0 && providers.containsKey(model.substring(0, slash))) {
      return List.of(Deployment.parse(model));
    }
    if (defaultProvider != null) {
      return List.of(new Deployment(defaultProvider, model));
    }
    throw new InvalidRequestException("model '" + model + "' is not an alias " + aliases.keySet()
        + " nor provider/model for a provider " + providers.keySet()
        + ", and no default provider is set");
  }

  /**
   * The classifier's label, or null when it fails. A classifier whose own call is routed by a
   * rule that asks it again (its model is an alias that classifies) gets null there instead of
   * recursing without end.
   */
  public @Nullable String classify(Classifier classifier, RoutingCall in) {
    Classifier outer = CLASSIFYING.get();
    if (outer == classifier) {
      guard(classifier).failed("classify", new IllegalStateException("the classifier's own call"
          + " was routed by a rule that asks the same classifier; point it at a deployment or an"
          + " alias without such a rule"));
      return null;
    }
    CLASSIFYING.set(classifier);
    try {
      return classifier.classify(in);
    } catch (RuntimeException e) {
      guard(classifier).failed("classify", e);
      return null;
    } finally {
      CLASSIFYING.set(outer);
    }
  }

  private Guard guard(Classifier classifier) {
    return classifierGuards.computeIfAbsent(classifier, c -> new Guard("classifier", c));
  }

  public @Nullable Price price(Deployment deployment) {
    return prices.find(deployment);
  }

  /** What routing knows of the deployment: resolved at build for candidates, else on first use. */
  public Known known(Deployment deployment) {
    Known k = known.get(deployment);
    if (k == null) {
      k = direct.get(deployment);
      if (k == null) {
        k = direct.computeIfAbsent(deployment, this::newKnown);
      }
    }
    return k;
  }

  private Known newKnown(Deployment d) {
    Provider provider = providers.get(d.provider());
    return new Known(d, provider == null ? ModelCapabilities.CHAT_ALL
        : provider.capabilities(d.model()), deployments.state(d).breaker());
  }

  /**
   * One deployment's capabilities, breaker and (looked up on first use, so a deployment that is
   * never priced is never warned about) dollars per input and output token.
   */
  public final class Known {
    final Deployment deployment;
    final ModelCapabilities capabilities;
    final Breaker breaker;
    private volatile double @Nullable [] rates;

    public Known(Deployment deployment, ModelCapabilities capabilities, Breaker breaker) {
      this.deployment = deployment;
      this.capabilities = capabilities;
      this.breaker = breaker;
    }

    /** Dollars per input and output token, for ordering by cost; null when unpriced. */
    public double @Nullable [] rates() {
      double[] r = rates;
      if (r == null) {
        Price p = prices.find(deployment);
        r = p == null ? NO_PRICE : new double[] {perToken(p.input()), perToken(p.output())};
        rates = r;
      }
      return r == NO_PRICE ? null : r;
    }
  }

  private static double perToken(BigDecimal perMillion) {
    return perMillion.doubleValue() / 1_000_000d;
  }

  public Gateway gateway() {
    return gateway;
  }

  public @Nullable RandomGenerator random() {
    return random;
  }

  // ---------------------------------------------------------------- nodes

  /**
   * Where one call's walk ended up.
   */
  public static final class Selection implements Selected {
    final RoutingCall input;
    @Nullable Leaf leaf;
    final List<Deployment> direct;
    final List<String> path;
    @Nullable String variant;
    @Nullable String splitAlias;
    boolean downgraded;
    @Nullable String downgradeReason;

    public Selection(RoutingCall input, @Nullable Leaf leaf, List<Deployment> direct,
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
    public long routeKey() {
      long key = leaf == null ? -1 : leaf.id;
      return variant == null ? key : key * 31 + variant.hashCode();
    }
  }

  public abstract static class Node {
    /** Walks on to a candidate list, recording each step. */
    public abstract Leaf pick(RoutingCall in, Selection selection);
  }

  public static final class Leaf extends Node {
    final int id;
    final List<Deployment> candidates;
    final Router router;
    final Route settings;
    final String step;
    final boolean custom;

    public Leaf(int id, List<Deployment> candidates, Router router, Route settings) {
      this.id = id;
      this.candidates = candidates;
      this.router = router;
      this.settings = settings;
      this.step = "strategy " + router.describe();
      this.custom = !(router.getClass().getEnclosingClass() == Strategies.class);
    }

    @Override
    public Leaf pick(RoutingCall in, Selection selection) {
      selection.path.add(step);
      return this;
    }
  }

  private static final class AliasNode extends Node {
    private final String step;
    private final Node target;

    public AliasNode(String step, Node target) {
      this.step = step;
      this.target = target;
    }

    @Override
    public Leaf pick(RoutingCall in, Selection selection) {
      selection.path.add(step);
      return target.pick(in, selection);
    }
  }

  /**
   * A route with a cheaper downgrade: a call marked for downgrade (the {@link Route#DOWNGRADE}
   * attribute) goes to the downgrade alias instead, at the first such route on its walk.
   */
  private static final class DowngradeNode extends Node {
    private final Node normal;
    private final String owner;
    private final String alias;
    private @Nullable Node target; // set once every alias is compiled

    public DowngradeNode(Node normal, String owner, String alias) {
      this.normal = normal;
      this.owner = owner;
      this.alias = alias;
    }

    @Override
    public Leaf pick(RoutingCall in, Selection selection) {
      String reason = selection.downgradeReason;
      if (reason == null || selection.downgraded) {
        return normal.pick(in, selection);
      }
      selection.downgraded = true;
      selection.path.add("downgraded (" + reason + ")");
      return target.pick(in, selection);
    }
  }

  private static final class RulesNode extends Node {
    private final Condition[] conditions;
    private final Node[] targets;
    private final String[] steps;

    public RulesNode(List<Route.Rule> rules, Node[] targets) {
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
    public Leaf pick(RoutingCall in, Selection selection) {
      for (int i = 0; i < conditions.length; i++) {
        if (conditions[i].test(in)) {
          selection.path.add(steps[i]);
          return targets[i].pick(in, selection);
        }
      }
      throw new IllegalStateException("the otherwise rule always matches");
    }
  }

  /** An A/B split: weighted rendezvous hashing on the sticky key, or a weighted draw. */
  public static final class SplitNode extends Node {
    private final String alias;
    private final String[] names;
    private final long[] weights;
    private final long[] seeds;
    private final long total;
    private final Node[] targets;
    private final String[] steps;
    private final StickyKey key;

    public SplitNode(String alias, List<Variant> variants, @Nullable StickyKey key, Node[] targets) {
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
    public Leaf pick(RoutingCall in, Selection selection) {
      String sticky = key.of(in);
      int i = sticky == null ? draw(in.random().nextLong(total)) : variantOf(sticky);
      selection.variant = names[i];
      selection.splitAlias = alias;
      selection.path.add(steps[i]);
      return targets[i].pick(in, selection);
    }

    /** The variant a draw in [0, total) falls in. */
    public int draw(long r) {
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
    public int variantOf(String stickyKey) {
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
