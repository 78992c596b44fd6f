package dev.llmgateway.core.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.internal.route.Strategies;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an alias stands for. Three shapes:
 *
 * <ul>
 *   <li>candidates ordered by a {@link Router strategy}: {@link #fallback}, {@link #cheapest},
 *       {@link #lowestLatency}, {@link #leastBusy}, {@link #healthiest}, {@link #weighted}, or
 *       your own with {@link #of(Router, String, String...)};
 *   <li>an A/B {@link #split(StickyKey, Variant...) split} into named, weighted variants, sticky by
 *       a key;
 *   <li>{@link #rules() rules} over the request's content, evaluated in order, each sending the
 *       call to a target.
 * </ul>
 *
 * Targets of splits and rules are routes, names of other aliases, or deployments {@code
 * provider/model}; the candidates of {@link #fallback} and the other strategies are deployments
 * only (to send calls to another alias, use {@link #target}). The gateway checks at build that
 * every name resolves and that no alias leads back to itself, and refuses a candidate written
 * without a provider (an alias's name, a bare model) naming the alias being defined. Settings (retry, hedging, content-filter fallback) belong to the route that
 * holds the candidates; a split or rules route passes its own to targets that have none. Immutable;
 * the {@code with}-style methods return copies.
 *
 * <pre>{@code
 * Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1")
 *     .retry(RetryPolicy.builder().maxAttempts(2).build())
 *     .hedge(HedgePolicy.after(Duration.ofSeconds(2)))
 *     .downgradeTo("cheap")
 *
 * Route.rules()
 *     .when("reasoning", Condition.keywords("prove", "step by step"), "smart")
 *     .when("code", Condition.codeBlock(), "code")
 *     .otherwise("cheap")
 * }</pre>
 */
public final class Route {
  private final Kind kind;
  private final List<Deployment> candidates;
  private final List<String> invalidCandidates;
  private final Router router;
  private final List<Variant> variants;
  private final @Nullable StickyKey stickyKey;
  private final List<Rule> rules;
  private final @Nullable String reference;
  private final @Nullable RetryPolicy retryPolicy;
  private final @Nullable HedgePolicy hedgePolicy;
  private final @Nullable Deployment contentFilterFallback;
  private final @Nullable String downgrade;

  /** The shape of a route. */
  public enum Kind {
    /** Candidates ordered by a strategy. */
    CANDIDATES,
    /** An A/B split into variants. */
    SPLIT,
    /** Rules over the request, in order. */
    RULES,
    /** The name of another alias (resolved when the gateway is built). */
    ALIAS
  }

  /**
   * One rule of a {@link #rules()} route.
   *
   * @param name the rule's name, reported in the decision trail
   * @param condition when it applies
   * @param target where matching calls go
   */
  public record Rule(String name, Condition condition, Route target) {
    /** Validates. */
    public Rule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(target, "target");
    }
  }

  private Route(Kind kind, List<Deployment> candidates, List<String> invalidCandidates,
      Router router, List<Variant> variants, @Nullable StickyKey stickyKey, List<Rule> rules,
      @Nullable String reference, @Nullable RetryPolicy retryPolicy,
      @Nullable HedgePolicy hedgePolicy, @Nullable Deployment contentFilterFallback,
      @Nullable String downgrade) {
    this.kind = kind;
    this.candidates = List.copyOf(candidates);
    this.invalidCandidates = List.copyOf(invalidCandidates);
    this.router = router;
    this.variants = List.copyOf(variants);
    this.stickyKey = stickyKey;
    this.rules = List.copyOf(rules);
    this.reference = reference;
    this.retryPolicy = retryPolicy;
    this.hedgePolicy = hedgePolicy;
    this.contentFilterFallback = contentFilterFallback;
    this.downgrade = downgrade;
  }

  private static Route candidates(Router router, List<Deployment> list) {
    return candidates(router, new Written(list, List.of()));
  }

  private static Route candidates(Router router, Written written) {
    List<Deployment> list = written.deployments;
    if (list.isEmpty() && written.invalid.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one deployment");
    }
    if (new LinkedHashSet<>(list).size() != list.size()) {
      throw new IllegalArgumentException("a route lists a deployment twice: " + list);
    }
    return new Route(Kind.CANDIDATES, list, written.invalid, router, List.of(), null, List.of(),
        null, null, null, null, null);
  }

  /** Candidates as written: the deployments, and the names without a provider part. */
  private record Written(List<Deployment> deployments, List<String> invalid) {}

  /**
   * Parses candidates {@code provider/model}. A name without a {@code /} (an alias's name, a bare
   * model) is kept aside, for the gateway's build to refuse naming the alias being defined, which
   * is not known here; anything else that is not {@code provider/model} is refused at once.
   */
  private static Written parse(String first, String... others) {
    List<Deployment> list = new ArrayList<>(1 + others.length);
    List<String> invalid = new ArrayList<>(0);
    parse(first, list, invalid);
    for (String other : others) {
      parse(other, list, invalid);
    }
    return new Written(list, invalid);
  }

  private static void parse(String text, List<Deployment> list, List<String> invalid) {
    Objects.requireNonNull(text, "deployment");
    if (text.indexOf('/') < 0 && !text.isBlank()) {
      invalid.add(text);
    } else {
      list.add(Deployment.parse(text));
    }
  }

  /** Deployments written {@code provider/model}, tried in order. */
  public static Route fallback(String first, String... others) {
    return candidates(Router.ordered(), parse(first, others));
  }

  /** Deployments tried in order. */
  public static Route fallback(List<Deployment> deployments) {
    return candidates(Router.ordered(), deployments);
  }

  /** A single deployment. */
  public static Route to(String deployment) {
    return fallback(deployment);
  }

  /** The cheapest candidate for the request first ({@link Router#cheapest()}). */
  public static Route cheapest(String first, String... others) {
    return candidates(Router.cheapest(), parse(first, others));
  }

  /** The fastest candidate first ({@link Router#lowestLatency()}). */
  public static Route lowestLatency(String first, String... others) {
    return candidates(Router.lowestLatency(), parse(first, others));
  }

  /** The candidate with the fewest attempts in flight first ({@link Router#leastBusy()}). */
  public static Route leastBusy(String first, String... others) {
    return candidates(Router.leastBusy(), parse(first, others));
  }

  /** Candidates that would take an attempt now first ({@link Router#healthiest()}). */
  public static Route healthiest(String first, String... others) {
    return candidates(Router.healthiest(), parse(first, others));
  }

  /**
   * Each call picks its first candidate at random by weight (not sticky; for sticky A/B tests use
   * {@link #split}); the others follow in written order as fallbacks.
   */
  public static Route weighted(String first, int firstWeight, String second, int secondWeight) {
    return candidates(Strategies.weighted(new int[] {firstWeight, secondWeight}),
        parse(first, second));
  }

  /** {@link #weighted(String, int, String, int)} over three deployments. */
  public static Route weighted(String first, int firstWeight, String second, int secondWeight,
      String third, int thirdWeight) {
    return candidates(Strategies.weighted(new int[] {firstWeight, secondWeight, thirdWeight}),
        parse(first, second, third));
  }

  /** Candidates ordered by your own strategy. */
  public static Route of(Router router, String first, String... others) {
    return candidates(Objects.requireNonNull(router, "router"), parse(first, others));
  }

  /**
   * An A/B split: each call lands in one variant, chosen by weight; calls with the same sticky key
   * stay in the same variant while the weights are unchanged (weighted rendezvous hashing:
   * changing one variant's weight moves keys only to or from that variant). Every response and
   * usage record names the variant; {@link Gateway#variants(String)} reports per-variant figures.
   */
  public static Route split(StickyKey stickyKey, Variant... variants) {
    Objects.requireNonNull(stickyKey, "stickyKey");
    if (variants.length < 2) {
      throw new IllegalArgumentException("a split needs at least two variants");
    }
    Set<String> names = new LinkedHashSet<>();
    int total = 0;
    for (Variant v : variants) {
      if (!names.add(Objects.requireNonNull(v, "variant").name())) {
        throw new IllegalArgumentException("two variants are named '" + v.name() + "'");
      }
      total += v.weight();
    }
    if (total <= 0) {
      throw new IllegalArgumentException("a split needs a variant with a positive weight");
    }
    return new Route(Kind.SPLIT, List.of(), List.of(), Router.ordered(), List.of(variants),
        stickyKey, List.of(), null, null, null, null, null);
  }

  /** Starts a rules route: {@code Route.rules().when(...).when(...).otherwise(...)}. */
  public static Rules rules() {
    return new Rules();
  }

  /**
   * A target by name: another alias, or a deployment {@code provider/model} (names with a
   * {@code /} are deployments, since alias names have none).
   */
  public static Route target(String target) {
    Objects.requireNonNull(target, "target");
    if (target.indexOf('/') > 0) {
      return to(target);
    }
    if (target.isBlank()) {
      throw new IllegalArgumentException("a target needs a name");
    }
    return new Route(Kind.ALIAS, List.of(), List.of(), Router.ordered(), List.of(), null,
        List.of(), target, null, null, null, null);
  }

  /** Builds a {@link #rules()} route. Not thread-safe. */
  public static final class Rules {
    private final List<Rule> rules = new ArrayList<>();

    private Rules() {}

    /** When {@code condition} holds, the call goes to {@code target} (an alias or deployment). */
    public Rules when(String name, Condition condition, String target) {
      return when(name, condition, Route.target(target));
    }

    /** When {@code condition} holds, the call goes to {@code target}. */
    public Rules when(String name, Condition condition, Route target) {
      rules.add(new Rule(name, condition, target));
      return this;
    }

    /** Where calls go that no rule matches; ends the route. */
    public Route otherwise(String target) {
      return otherwise(Route.target(target));
    }

    /** Where calls go that no rule matches; ends the route. */
    public Route otherwise(Route target) {
      if (rules.isEmpty()) {
        throw new IllegalArgumentException("a rules route needs at least one rule");
      }
      List<Rule> all = new ArrayList<>(rules);
      all.add(new Rule("otherwise", Conditions.ALWAYS, Objects.requireNonNull(target, "target")));
      return new Route(Kind.RULES, List.of(), List.of(), Router.ordered(), List.of(), null, all,
          null, null, null, null, null);
    }
  }

  /** The route's shape. */
  public Kind kind() {
    return kind;
  }

  /** The deployments of a {@link Kind#CANDIDATES} route, as written; else empty. */
  public List<Deployment> candidates() {
    return candidates;
  }

  /**
   * The candidates written without a provider part ({@code "cheap"} where {@code
   * "openai/gpt-4.1-mini"} belongs: an alias's name, a bare model), which are not among {@link
   * #candidates()}; empty for a valid route. The gateway's {@code build()} refuses a route that has
   * any, naming the alias being defined and saying whether each name is an alias.
   */
  public List<String> invalidCandidates() {
    return invalidCandidates;
  }

  /** The strategy ordering the candidates. */
  public Router router() {
    return router;
  }

  /** The variants of a {@link Kind#SPLIT} route; else empty. */
  public List<Variant> variants() {
    return variants;
  }

  /** The sticky key of a split, or null. */
  public @Nullable StickyKey stickyKey() {
    return stickyKey;
  }

  /** The rules of a {@link Kind#RULES} route, the final {@code otherwise} included; else empty. */
  public List<Rule> ruleList() {
    return rules;
  }

  /** The alias an {@link Kind#ALIAS} route names, or null. */
  public @Nullable String reference() {
    return reference;
  }

  /** The retry policy of this route's calls, or null for the gateway's. */
  public @Nullable RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** Hedging for this route's calls, or null for none. */
  public @Nullable HedgePolicy hedgePolicy() {
    return hedgePolicy;
  }

  /** Where a call goes when a candidate's content policy blocks it, or null. */
  public @Nullable Deployment contentFilterFallback() {
    return contentFilterFallback;
  }

  /** The alias this route downgrades to near a budget limit, or null. */
  public @Nullable String downgrade() {
    return downgrade;
  }

  /** This route with its own retry policy (a deployment's own still wins). */
  public Route retry(RetryPolicy policy) {
    return with(Objects.requireNonNull(policy, "policy"), hedgePolicy, contentFilterFallback,
        downgrade);
  }

  /** This route with hedged requests. */
  public Route hedge(HedgePolicy policy) {
    return with(retryPolicy, Objects.requireNonNull(policy, "policy"), contentFilterFallback,
        downgrade);
  }

  /**
   * This route sending a call that a candidate's content policy blocked to {@code deployment}
   * ({@code provider/model}), once.
   */
  public Route onContentFiltered(String deployment) {
    return with(retryPolicy, hedgePolicy, Deployment.parse(deployment), downgrade);
  }

  /**
   * This route with a cheaper downgrade: the alias (e.g. {@code "cheap"}) that calls go to
   * instead when a budget nears its limit. A budget step asks for it by setting the call's {@link
   * Downgrade} value before routing; the first route on the call's
   * walk that names a downgrade applies it (once: the downgrade alias's own downgrade is not
   * followed), and the decision trail says so. The gateway checks at build that the alias exists.
   */
  public Route downgradeTo(String alias) {
    Objects.requireNonNull(alias, "alias");
    if (alias.isBlank() || alias.indexOf('/') >= 0) {
      throw new IllegalArgumentException("downgrade target '" + alias + "' must be an alias name");
    }
    return with(retryPolicy, hedgePolicy, contentFilterFallback, alias);
  }

  private Route with(@Nullable RetryPolicy retry, @Nullable HedgePolicy hedge,
      @Nullable Deployment contentFilter, @Nullable String downgradeTo) {
    return new Route(kind, candidates, invalidCandidates, router, variants, stickyKey, rules,
        reference, retry, hedge, contentFilter, downgradeTo);
  }

  @Override
  public String toString() {
    switch (kind) {
      case CANDIDATES:
        return "Route[" + router.describe() + " " + candidates
            + (invalidCandidates.isEmpty() ? "" : ", not deployments " + invalidCandidates) + "]";
      case SPLIT:
        StringBuilder s = new StringBuilder("Route[split");
        for (Variant v : variants) {
          s.append(' ').append(v.name()).append('=').append(v.weight());
        }
        return s.append(']').toString();
      case RULES:
        List<String> names = new ArrayList<>();
        for (Rule r : rules) {
          names.add(r.name());
        }
        return "Route[rules " + names + "]";
      default:
        return "Route[alias " + reference + "]";
    }
  }
}
