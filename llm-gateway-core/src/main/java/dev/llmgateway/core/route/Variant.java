package dev.llmgateway.core.route;

import java.util.Objects;

/**
 * One arm of an A/B {@link Route#split split}: a name (reported on every response and usage
 * record of the calls it serves), a weight, and where its calls go.
 *
 * @param name the variant's name, unique within its split
 * @param weight its share relative to the other variants' weights (0 turns it off)
 * @param route where its calls go
 */
public record Variant(String name, int weight, Route route) {

  /** Validates. */
  public Variant {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(route, "route");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a variant needs a non-blank name");
    }
    if (weight < 0) {
      throw new IllegalArgumentException("variant '" + name + "' has a negative weight " + weight);
    }
  }

  /** A variant going to a route. */
  public static Variant of(String name, int weight, Route route) {
    return new Variant(name, weight, route);
  }

  /**
   * A variant going to a target: the name of another alias, or a deployment {@code
   * provider/model}.
   */
  public static Variant of(String name, int weight, String target) {
    return new Variant(name, weight, Route.target(target));
  }
}
