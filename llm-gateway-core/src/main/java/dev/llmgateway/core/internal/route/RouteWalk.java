package dev.llmgateway.core.internal.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.GatewayConfig;
import dev.llmgateway.core.internal.call.Guard;
import dev.llmgateway.core.internal.call.Selected;
import dev.llmgateway.core.internal.health.Deployments;
import dev.llmgateway.core.internal.route.RouteTree.Node;
import dev.llmgateway.core.route.Classifier;
import dev.llmgateway.core.route.Downgrade;
import dev.llmgateway.spi.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The select step's per-call walk: from the requested model through the {@link RouteTree route
 * tree} (aliases, rules, A/B splits, a budget downgrade) to one candidate list, or for a model that
 * is not an alias to its deployment. Done once per call and kept as the call's {@link Selected}
 * slot, so the cache (which keys by the variant and the list reached) and the plan step share it.
 * Also what a call's {@link RoutingCall} asks of the gateway: classifier labels (with the guard
 * against a classifier's own call asking it again), prices, and what is known of a deployment.
 *
 * <p>A model that is not an alias is checked before anything is kept for it: at most {@value
 * #MAX_MODEL_LENGTH} characters, none of them a control character.
 *
 * <p>Thread-safe: the tree is read-only; what is known of a deployment that is no route's
 * candidate is resolved afresh on each use (its breaker is the gateway's bounded ad-hoc state in
 * {@link Deployments}), so routing keeps nothing per model name a caller sends.
 */
public final class RouteWalk {
  private static final List<String> DIRECT_PATH = List.of("deployment");
  private static final List<String> DEFAULT_PATH = List.of("default provider");
  /** The longest model name (alias, deployment or bare model) a call may send, in chars. */
  static final int MAX_MODEL_LENGTH = 256;
  /** The classifier whose call is running on this thread, if any. */
  private static final ThreadLocal<@Nullable Classifier> CLASSIFYING = new ThreadLocal<>();

  private final Map<String, Node> aliases;
  /** Whether any route downgrades (only then does the walk read the call's downgrade slot). */
  private final boolean downgrades;
  /** What routing knows of each candidate of every route, resolved at build (read-only). */
  private final Map<Deployment, Known> known;
  private final ConcurrentHashMap<Classifier, Guard> classifierGuards = new ConcurrentHashMap<>();
  private final Map<String, Provider> providers;
  private final @Nullable String defaultProvider;
  private final Deployments deployments;
  private final PriceTable prices;
  private final Gateway gateway;
  private final @Nullable RandomGenerator random;

  /**
   * The walk over a gateway's route tree.
   *
   * @param routes the tree, from {@link RouteCompiler#compile}
   * @param config the gateway's configuration: providers, default provider, prices, random source
   * @param deployments the gateway's deployments, for the breakers of deployments called directly
   * @param gateway the gateway, for classifiers that call it
   */
  public RouteWalk(RouteTree routes, GatewayConfig config, Deployments deployments,
      Gateway gateway) {
    this.aliases = routes.aliases();
    this.downgrades = routes.downgrades();
    this.known = routes.known();
    this.providers = config.providers();
    this.defaultProvider = config.defaultProvider();
    this.deployments = deployments;
    this.prices = config.prices();
    this.gateway = gateway;
    this.random = config.random();
  }

  /**
   * The walk from the requested model to a candidate list; once per call, then kept as the call's
   * {@link Selected} slot.
   *
   * @throws InvalidRequestException if the model is not an alias and is longer than {@value
   *     #MAX_MODEL_LENGTH} characters or holds a control character, or is not provider/model for a
   *     known provider and no default provider is set
   */
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
      checkModelName(model);
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
   * Refuses a model name that no configuration could have produced before any state is kept for
   * it: longer than {@value #MAX_MODEL_LENGTH} characters, or with a control character (U+0000 to
   * U+001F, U+007F to U+009F). The message quotes neither.
   */
  static void checkModelName(String model) {
    if (model.length() > MAX_MODEL_LENGTH) {
      throw new InvalidRequestException("the model name has " + model.length()
          + " characters; the limit is " + MAX_MODEL_LENGTH);
    }
    for (int i = 0; i < model.length(); i++) {
      char c = model.charAt(i);
      if (Character.isISOControl(c)) {
        throw new InvalidRequestException(String.format("the model name holds a control character"
            + " (U+%04X at index %d): model names have at most %d characters, none of them a"
            + " control character", (int) c, i, MAX_MODEL_LENGTH));
      }
    }
  }

  /** The deployment of a model that is not an alias: a deployment, or a bare model. */
  private List<Deployment> resolve(String model) {
    int slash = model.indexOf('/');
    if (slash > 0 && providers.containsKey(model.substring(0, slash))) {
      return List.of(Deployment.parse(model));
    }
    if (defaultProvider != null) {
      return List.of(new Deployment(defaultProvider, model));
    }
    throw new InvalidRequestException("model '" + model + "' is neither an alias "
        + (aliases.isEmpty()
            ? "(none is defined: GatewayBuilder.alias(name, route) defines one)"
            : aliases.keySet().toString())
        + " nor provider/model for one of the providers " + providers.keySet()
        + ", and no default provider is set (GatewayBuilder.defaultProvider(name) sends a bare"
        + " model name to one)");
  }

  /**
   * The classifier's label, or null when it fails. A classifier whose own call is routed by a
   * rule that asks it again (its model is an alias that classifies) gets null there instead of
   * recursing without end.
   */
  @Nullable String classify(Classifier classifier, RoutingCall in) {
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

  /**
   * What routing knows of the deployment: resolved at build for route candidates; for any other
   * (a user's router or condition asking about a deployment outside its candidates) resolved now
   * and not kept, so that its breaker is always the live one of {@link Deployments}.
   */
  Known known(Deployment deployment) {
    Known k = known.get(deployment);
    return k != null ? k : Known.of(deployment, providers, deployments, prices);
  }

  /** The gateway's providers, by name. */
  Map<String, Provider> providers() {
    return providers;
  }

  @Nullable Price price(Deployment deployment) {
    return prices.find(deployment);
  }

  Gateway gateway() {
    return gateway;
  }

  @Nullable RandomGenerator random() {
    return random;
  }
}
