package dev.llmgateway.core;

import dev.llmgateway.Deployment;
import java.util.ArrayList;
import java.util.List;

/**
 * What an alias stands for: an ordered list of candidate deployments, tried in order (the next one
 * when the previous fails with a retriable error). Immutable.
 *
 * @param candidates the deployments, in order of preference
 */
public record Route(List<Deployment> candidates) {

  /** Validates and copies. */
  public Route {
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one deployment");
    }
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
}
