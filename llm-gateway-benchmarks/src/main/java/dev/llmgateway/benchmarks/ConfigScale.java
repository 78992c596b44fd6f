package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.Principal;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A large configuration of {@code size} deployments, aliases and rules, for {@link
 * ConfigScaleBenchmark} and its test. At size {@code n}:
 *
 * <ul>
 *   <li><b>{@code n} deployments</b> {@code fake/model-0001} … on the one fake provider, each
 *       priced: input {@code rank} × $0.01 and output {@code rank} × $0.04 per million tokens,
 *       where the ranks are a permutation of 1..n in no particular order ({@link #rank}).
 *   <li><b>{@code n} aliases</b>, each a rules route. {@value #ALIAS}, the one the calls use, has
 *       {@code n} rules; {@value #SHORT_ALIAS} has {@value #SHORT_RULES} (the first {@value
 *       #SHORT_RULES} − 1 of {@value #ALIAS}'s and its last); the other {@code n} − 2 are team
 *       aliases of one rule (a tag) to one deployment, otherwise two deployments in fallback order,
 *       or (every tenth, from {@code team-0002}) the
 *       shared alias {@value #ALIAS}.
 *   <li><b>{@code n} rules</b> in {@value #ALIAS}, cycling through the ten kinds of {@link
 *       RoutingBenchmark} with values of their own (rule {@code i} looks for keyword {@code
 *       topic-i}, ticket {@code i}, tag {@code batch-i}, metadata {@code tier=tier-i}, team
 *       {@code team-i}, …): keywords, a pattern, a code block, an input size, a tag, a metadata
 *       value, a team, and compositions with {@code and}, {@code or}, {@code negate}, {@code
 *       allOf} and {@code anyOf}. Rule {@code i} sends a call to deployment {@code i}, so every
 *       deployment is some route's candidate. The request ({@link #request}) matches none of them
 *       but the last, {@code interactive} (team {@code search}, tag {@code interactive}, input
 *       under 4,000 tokens), which sends it to {@code Route.cheapest} over {@value
 *       #ROUTE_CANDIDATES} deployments spread over the {@code n} (every {@code n}/{@value
 *       #ROUTE_CANDIDATES}-th; all of them when {@code n} is smaller).
 * </ul>
 *
 * <p><b>What a large configuration looks like here.</b> A gateway grows by teams, regions and
 * models: more deployments, more aliases, more rules. A single route does not: it names the few
 * deployments that can stand in for each other (a model in a few regions and its fallbacks), so
 * the route the call reaches orders at most {@value #ROUTE_CANDIDATES} candidates at every size,
 * as {@link RoutingBenchmark}'s does. Its rules, though, grow with the configuration: all {@code
 * n} are walked, because the request matches only the last, which is the worst case of a
 * first-match rules route.
 *
 * <p>The deployment the route chooses, the cheapest of its candidates, is {@link #chosen}: {@code
 * fake/model-0006} at size 10, {@code fake/model-0036} at 100, {@code fake/model-0851} at 1,000;
 * never the first of the candidate list (the 6th, 8th and 18th), so the candidates in the order
 * written would lead elsewhere.
 *
 * <p>Stateless; thread-safe.
 */
public final class ConfigScale {
  /** The alias of the {@code alias} arm: {@code size} rules. */
  public static final String ALIAS = "auto";
  /** The alias of the {@code short-alias} arm: the same gateway, ten rules, the same route. */
  public static final String SHORT_ALIAS = "auto-short";
  /** How many rules {@link #SHORT_ALIAS} has. */
  public static final int SHORT_RULES = 10;
  /** How many candidates the route the request reaches has, at most. */
  public static final int ROUTE_CANDIDATES = 20;
  /** The name of the rule the request matches, the last of each alias it uses. */
  public static final String MATCHING_RULE = "interactive";
  /** The caller's team, which the matching rule asks for. */
  public static final String TEAM = "search";
  /** The kinds of rule, in the order they cycle; a rule's name is its kind and its index. */
  private static final String[] KINDS = {"reasoning", "ticket", "code", "long", "batch",
      "premium", "research", "translation", "code-team", "interactive"};

  private ConfigScale() {}

  /** The {@code i}-th deployment (from 0): {@code fake/model-0001} for 0. */
  public static String deployment(int i) {
    return String.format(Locale.ROOT, "fake/model-%04d", i + 1);
  }

  /**
   * The price rank of the {@code i}-th deployment (from 0) among {@code size}: a permutation of
   * 1..size, since 7 is coprime to every size this class accepts.
   */
  static int rank(int i, int size) {
    return 1 + (7 * i + 55) % size;
  }

  /** The indices of the deployments of the route the request reaches. */
  static int[] routeCandidates(int size) {
    int k = Math.min(size, ROUTE_CANDIDATES);
    int[] indices = new int[k];
    for (int j = 0; j < k; j++) {
      indices[j] = j * size / k;
    }
    return indices;
  }

  /**
   * The deployment the aliases choose at this size: the cheapest candidate of their route.
   *
   * @throws IllegalArgumentException if {@code size} is one {@link #configure} refuses
   */
  public static String chosen(int size) {
    checkSize(size);
    int best = -1;
    for (int i : routeCandidates(size)) {
      if (best < 0 || rank(i, size) < rank(best, size)) {
        best = i;
      }
    }
    return deployment(best);
  }

  /** The caller of every call: team {@value #TEAM}. */
  public static Principal caller() {
    return Principal.builder().org("acme").team(TEAM).user("user-1").keyId("key-1").build();
  }

  /**
   * The request of every call, to {@code model}: a system and a user message, 64 output tokens, a
   * tag and two metadata values.
   */
  public static ChatRequest request(String model) {
    return ChatRequest.builder(model)
        .system("You are a helpful assistant.")
        .user("Say hello to the new visitor, in one short sentence.")
        .maxOutputTokens(64)
        .metadata("tier", "standard")
        .metadata("lang", "en")
        .options(RequestOptions.DEFAULT.withTags("interactive"))
        .build();
  }

  /**
   * Adds the {@code size} deployments with their prices, and the {@code size} aliases, to a
   * builder that has the provider named {@code fake}.
   *
   * @throws IllegalArgumentException if {@code size} is under {@value #SHORT_RULES} or a multiple
   *     of 7 (the prices would not be a permutation)
   */
  public static GatewayBuilder configure(GatewayBuilder builder, int size) {
    checkSize(size);
    for (int i = 0; i < size; i++) {
      int rank = rank(i, size);
      builder.price(deployment(i), Price.perMillion(BigDecimal.valueOf(rank, 2),
          BigDecimal.valueOf(4L * rank, 2)));
    }
    int[] indices = routeCandidates(size);
    String[] others = new String[indices.length - 1];
    for (int j = 1; j < indices.length; j++) {
      others[j - 1] = deployment(indices[j]);
    }
    Route route = Route.cheapest(deployment(indices[0]), others);
    Condition matching = Condition.allOf(Condition.team(TEAM), Condition.tag("interactive"),
        Condition.inputTokensAbove(4_000).negate());
    Route.Rules rules = Route.rules();
    Route.Rules shortRules = Route.rules();
    for (int i = 0; i < size - 1; i++) {
      String kind = KINDS[i % KINDS.length];
      Condition condition = condition(i);
      rules.when(kind + "-" + i, condition, deployment(i));
      if (i < SHORT_RULES - 1) {
        shortRules.when(kind + "-" + i, condition, deployment(i));
      }
    }
    Route otherwise = Route.healthiest(deployment(0), deployment(size - 1));
    builder.alias(ALIAS, rules.when(MATCHING_RULE, matching, route).otherwise(otherwise));
    builder.alias(SHORT_ALIAS,
        shortRules.when(MATCHING_RULE, matching, route).otherwise(otherwise));
    for (int a = 2; a < size; a++) {
      Route rest = a % 10 == 2 ? Route.target(ALIAS)
          : Route.fallback(deployment((a + 1) % size), deployment((a + 2) % size));
      builder.alias(String.format(Locale.ROOT, "team-%04d", a), Route.rules()
          .when("batch", Condition.tag("batch"), deployment(a))
          .otherwise(rest));
    }
    return builder;
  }

  /**
   * Whether an answer came where the configuration says: for a call naming the alias, by the
   * matching rule to {@link #chosen}; for a call naming that deployment, there directly.
   *
   * @throws IllegalStateException if it did not, naming where it went and why
   */
  public static void check(ChatResponse answer, String model, int size) {
    String chosen = chosen(size);
    if (!Deployment.parse(chosen).equals(answer.deployment())) {
      throw new IllegalStateException(model + " at size " + size + " went to "
          + answer.deployment() + ", not " + chosen + ": " + answer.routing());
    }
    if (!model.equals(chosen) && answer.routing().path().stream()
        .noneMatch(step -> step.startsWith("rule '" + MATCHING_RULE + "'"))) {
      throw new IllegalStateException(model + " at size " + size
          + " did not route by its last rule: " + answer.routing());
    }
  }

  /** The {@code i}-th rule's condition (from 0), of kind {@code KINDS[i % 10]}; never matches. */
  private static Condition condition(int i) {
    switch (i % KINDS.length) {
      case 0:
        return Condition.keywords("topic-" + i, "prove", "step by step", "theorem");
      case 1:
        return Condition.pattern("(?i)\\b(ticket|order|invoice)[ #-]?" + i + "\\b");
      case 2:
        return Condition.codeBlock();
      case 3:
        return Condition.inputTokensAbove(8_000 + i);
      case 4:
        return Condition.tag("batch-" + i);
      case 5:
        return Condition.metadata("tier", "tier-" + i);
      case 6:
        return Condition.team("team-" + i, "science-" + i);
      case 7:
        return Condition.keywords("translate-" + i, "traduis-" + i)
            .and(Condition.metadata("lang", "fr").or(Condition.metadata("lang", "de")));
      case 8:
        return Condition.anyOf(Condition.codeBlock(), Condition.pattern("^/cmd" + i + "\\b"))
            .and(Condition.team("platform-" + i));
      default:
        return Condition.allOf(Condition.team(TEAM), Condition.tag("interactive-" + i),
            Condition.inputTokensAbove(4_000).negate());
    }
  }

  private static void checkSize(int size) {
    if (size < SHORT_RULES || size % 7 == 0) {
      throw new IllegalArgumentException("size must be at least " + SHORT_RULES
          + " and not a multiple of 7, was " + size);
    }
  }
}
