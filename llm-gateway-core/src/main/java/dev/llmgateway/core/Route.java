package dev.llmgateway.core;

import dev.llmgateway.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an alias stands for: an ordered list of candidate deployments, tried in order (the next one
 * when the previous fails in a way that {@link FailureAction#FAIL_OVER fails over}), with optional
 * settings for calls through this route. Immutable; the {@code with}-style methods return copies.
 *
 * <pre>{@code
 * Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1")
 *     .retry(RetryPolicy.builder().maxAttempts(2).build())
 *     .hedge(HedgePolicy.after(Duration.ofSeconds(2)))
 *     .onContentFiltered("openai/gpt-4.1")
 * }</pre>
 *
 * @param candidates the deployments, in order of preference
 * @param retryPolicy the retry policy of this route's calls, or null for the gateway's
 * @param hedgePolicy hedging for this route's calls, or null for none
 * @param contentFilterFallback where a call goes when a candidate's content policy blocks it, or
 *     null to fail with {@link dev.llmgateway.ContentFilteredException}
 */
public record Route(
    List<Deployment> candidates,
    @Nullable RetryPolicy retryPolicy,
    @Nullable HedgePolicy hedgePolicy,
    @Nullable Deployment contentFilterFallback) {

  /** Validates and copies. */
  public Route {
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one deployment");
    }
  }

  /** A route over the candidates with no settings of its own. */
  public Route(List<Deployment> candidates) {
    this(candidates, null, null, null);
  }

  /** Deployments written {@code provider/model}, tried in order. */
  public static Route fallback(String first, String... others) {
    List<Deployment> list = new ArrayList<>(1 + others.length);
    list.add(Deployment.parse(first));
    for (String other : others) {
      list.add(Deployment.parse(other));
    }
    return new Route(list);
  }

  /** A single deployment. */
  public static Route to(String deployment) {
    return fallback(deployment);
  }

  /** This route with its own retry policy (a deployment's own still wins). */
  public Route retry(RetryPolicy policy) {
    return new Route(candidates, Objects.requireNonNull(policy, "policy"), hedgePolicy,
        contentFilterFallback);
  }

  /** This route with hedged requests. */
  public Route hedge(HedgePolicy policy) {
    return new Route(candidates, retryPolicy, Objects.requireNonNull(policy, "policy"),
        contentFilterFallback);
  }

  /**
   * This route sending a call that a candidate's content policy blocked to {@code deployment}
   * ({@code provider/model}), once.
   */
  public Route onContentFiltered(String deployment) {
    return new Route(candidates, retryPolicy, hedgePolicy, Deployment.parse(deployment));
  }
}
