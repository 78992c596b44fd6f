package dev.llmgateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a call went where it went: the rules and strategies that chose its plan of candidate
 * deployments, the A/B variant it landed in, and why each candidate that was not tried was
 * skipped (it could not serve the request, its circuit was open, it was cooling down after a 429).
 *
 * <pre>{@code
 * ChatResponse answer = gateway.chat(request);
 * System.out.println(answer.routing().explain());
 * // alias auto → rule 'code' (last user message has a code block) → alias code
 * //   → strategy cheapest; plan [openai/gpt-4.1-mini, anthropic/claude-haiku-4-5];
 * //   skipped gemini/gemini-2.5-flash: no tool calling
 * }</pre>
 *
 * @param path the steps that chose the plan, outermost first (e.g. {@code "alias auto"}, {@code
 *     "rule 'code' (...)"}, {@code "variant b"}, {@code "strategy cheapest"})
 * @param variant the A/B variant of a split the call landed in, or null
 * @param plan the candidates in the order they were to be tried
 * @param skipped candidates not tried, each with the reason
 * @param downgraded whether the call was sent to its alias's cheaper downgrade route
 */
public record RoutingDecision(
    List<String> path,
    @Nullable String variant,
    List<Deployment> plan,
    List<Skip> skipped,
    boolean downgraded) {

  /** A call that was answered by the cache, before any routing. */
  public static final RoutingDecision CACHE_HIT =
      new RoutingDecision(List.of("cache hit"), null, List.of(), List.of(), false);

  /**
   * A candidate that was not tried.
   *
   * @param deployment the candidate
   * @param reason why, e.g. {@code "no tool calling"} or {@code "circuit open"}
   */
  public record Skip(Deployment deployment, String reason) {
    /** Validates. */
    public Skip {
      Objects.requireNonNull(deployment, "deployment");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return deployment + ": " + reason;
    }
  }

  /** Validates and copies. */
  public RoutingDecision {
    path = List.copyOf(path);
    plan = List.copyOf(plan);
    skipped = List.copyOf(skipped);
  }

  /** This decision with more skipped candidates (e.g. refused by their circuit breaker). */
  public RoutingDecision withSkipped(List<Skip> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Skip> all = new ArrayList<>(skipped.size() + more.size());
    all.addAll(skipped);
    all.addAll(more);
    return new RoutingDecision(path, variant, plan, all, downgraded);
  }

  /** The decision as one line a person can read. */
  public String explain() {
    StringBuilder s = new StringBuilder(String.join(" → ", path));
    s.append("; plan ").append(plan);
    for (Skip skip : skipped) {
      s.append("; skipped ").append(skip);
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return "RoutingDecision[" + explain() + "]";
  }
}
