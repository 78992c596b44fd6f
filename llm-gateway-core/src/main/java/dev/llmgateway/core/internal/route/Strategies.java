package dev.llmgateway.core.internal.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.resilience.CircuitState;
import dev.llmgateway.core.route.Router;
import dev.llmgateway.core.route.RoutingContext;
import java.util.Arrays;
import java.util.List;

/**
 * The built-in routing strategies. Each orders a handful of candidates with an insertion sort
 * over a small array: no comparator objects, no boxing.
 */
public final class Strategies {
  private Strategies() {}

  /** The candidates as written. */
  public static final Router ORDERED = new Named("ordered") {
    @Override
    public List<Deployment> order(RoutingContext context) {
      return context.candidates();
    }
  };

  /** Cheapest estimated cost first; unknown prices last. */
  public static final Router CHEAPEST = new Keyed("cheapest", (context, d) -> {
    double cost = ((RoutingCall) context).estimatedCost(d);
    return cost < 0 ? Double.MAX_VALUE : cost;
  });

  /** Fewest attempts in flight first. */
  public static final Router LEAST_BUSY = new Keyed("least busy", RoutingContext::inFlight);

  /** Available first, then half-open, then open or cooling. */
  public static final Router HEALTHIEST = new Keyed("healthiest",
      (context, d) -> context.available(d) ? (context.circuit(d) == CircuitState.CLOSED ? 0 : 1)
          : 2);

  /** Lowest moving-average latency first, exploring. */
  public static Router lowestLatency(double exploration) {
    if (!(exploration >= 0 && exploration <= 1)) {
      throw new IllegalArgumentException("exploration must be in [0, 1], was " + exploration);
    }
    return new Keyed(exploration == 0.05 ? "lowest latency"
        : "lowest latency (exploring " + exploration + ")", (context, d) -> {
          long latency = context.latencyNanos(d);
          return latency < 0 ? -1 : latency; // unmeasured first: measure them
        }) {
      @Override
      public List<Deployment> order(RoutingContext context) {
        List<Deployment> candidates = context.candidates();
        int n = candidates.size();
        if (n > 1 && exploration > 0 && context.random().nextDouble() < exploration) {
          return first(candidates, context.random().nextInt(n));
        }
        return super.order(context);
      }
    };
  }

  /** The first candidate by weight at random, the others as written. */
  public static Router weighted(int[] weights) {
    int[] w = weights.clone();
    long total = 0;
    for (int x : w) {
      if (x < 0) {
        throw new IllegalArgumentException("weights must be >= 0: " + Arrays.toString(w));
      }
      total += x;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("a weighted route needs a positive weight");
    }
    long sum = total;
    return new Named("weighted " + Arrays.toString(w)) {
      @Override
      public List<Deployment> order(RoutingContext context) {
        List<Deployment> candidates = context.candidates();
        if (candidates.size() != w.length) {
          throw new IllegalStateException("weights " + Arrays.toString(w) + " for "
              + candidates.size() + " candidates");
        }
        long pick = context.random().nextLong(sum);
        int i = 0;
        while (pick >= w[i]) {
          pick -= w[i];
          i++;
        }
        return first(candidates, i);
      }
    };
  }

  /** The candidates with the one at {@code index} moved to the front. */
  public static List<Deployment> first(List<Deployment> candidates, int index) {
    if (index == 0) {
      return candidates;
    }
    Deployment[] out = new Deployment[candidates.size()];
    out[0] = candidates.get(index);
    int j = 1;
    for (int i = 0; i < out.length; i++) {
      if (i != index) {
        out[j++] = candidates.get(i);
      }
    }
    return Arrays.asList(out);
  }

  /** A stable sort of the candidates by ascending key. */
  public static List<Deployment> sorted(List<Deployment> candidates, double[] keys) {
    int n = keys.length;
    boolean inOrder = true;
    for (int i = 1; i < n && inOrder; i++) {
      inOrder = keys[i - 1] <= keys[i];
    }
    if (inOrder) {
      return candidates;
    }
    Deployment[] out = candidates.toArray(new Deployment[0]);
    for (int i = 1; i < n; i++) {
      double key = keys[i];
      Deployment d = out[i];
      int j = i - 1;
      while (j >= 0 && keys[j] > key) {
        keys[j + 1] = keys[j];
        out[j + 1] = out[j];
        j--;
      }
      keys[j + 1] = key;
      out[j + 1] = d;
    }
    return Arrays.asList(out);
  }

  /** How a keyed strategy ranks a candidate: lower first. */
  @FunctionalInterface
  private interface Key {
    double of(RoutingContext context, Deployment candidate);
  }

  /**
   * Orders the candidates by a key, lowest first and ties as written: two candidates (the rule)
   * compared without an array, more by {@link #sorted}.
   */
  private static class Keyed extends Named {
    private final Key key;

    Keyed(String name, Key key) {
      super(name);
      this.key = key;
    }

    @Override
    public List<Deployment> order(RoutingContext context) {
      List<Deployment> candidates = context.candidates();
      int n = candidates.size();
      if (n < 2) {
        return candidates;
      }
      if (n == 2) {
        Deployment a = candidates.get(0);
        Deployment b = candidates.get(1);
        return key.of(context, a) <= key.of(context, b) ? candidates : List.of(b, a);
      }
      double[] keys = new double[n];
      for (int i = 0; i < n; i++) {
        keys[i] = key.of(context, candidates.get(i));
      }
      return sorted(candidates, keys);
    }
  }

  private abstract static class Named implements Router {
    private final String name;

    public Named(String name) {
      this.name = name;
    }

    @Override
    public String describe() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
