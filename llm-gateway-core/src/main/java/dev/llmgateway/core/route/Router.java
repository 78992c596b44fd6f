package dev.llmgateway.core.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.internal.route.Strategies;
import java.util.List;
import java.util.Objects;

/**
 * A routing strategy: orders a route's candidates for one call. The first is tried first, the
 * others are where the call fails over to; candidates left out are not tried. Health is applied
 * after any strategy: a candidate whose circuit is open or that cools down after a 429 is skipped
 * (with the reason in the decision trail), and candidates that cannot serve the request (no tools,
 * no vision, too small a context window, ...) never reach a router.
 *
 * <p>A lambda is a router: {@code ctx -> ctx.candidates().reversed()}; name it with {@link
 * #named(String, Router)} for the decision trail. Built-in strategies:
 *
 * <ul>
 *   <li>{@link #ordered()}: as written (fallback);
 *   <li>{@link #cheapest()}: by the estimated cost of this request from the price table;
 *   <li>{@link #lowestLatency()}: by the moving average of observed latency, exploring a little;
 *   <li>{@link #leastBusy()}: by attempts in flight;
 *   <li>{@link #healthiest()}: candidates that would take an attempt now first.
 * </ul>
 */
@FunctionalInterface
public interface Router {

  /** The candidates in the order to try them (a subset of {@link RoutingContext#candidates()}). */
  List<Deployment> order(RoutingContext context);

  /** The strategy's name, for the decision trail. */
  default String describe() {
    return "custom router";
  }

  /** A router with a name for the decision trail. */
  static Router named(String name, Router router) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(router, "router");
    return new Router() {
      @Override
      public List<Deployment> order(RoutingContext context) {
        return router.order(context);
      }

      @Override
      public String describe() {
        return name;
      }
    };
  }

  /** The candidates as written: the first, then the next on failure. */
  static Router ordered() {
    return Strategies.ORDERED;
  }

  /**
   * Cheapest first, by the estimated cost of this request at each candidate's price (estimated
   * input tokens, and the request's max output tokens or 500); candidates without a price last.
   */
  static Router cheapest() {
    return Strategies.CHEAPEST;
  }

  /**
   * Lowest moving-average latency first; candidates without a sample yet go first so each gets
   * measured, and one call in 20 puts a random candidate first to keep the averages fresh.
   */
  static Router lowestLatency() {
    return Strategies.lowestLatency(0.05);
  }

  /**
   * {@link #lowestLatency()} with the share of calls that put a random candidate first.
   *
   * @param exploration a fraction in [0, 1]
   */
  static Router lowestLatency(double exploration) {
    return Strategies.lowestLatency(exploration);
  }

  /** Fewest attempts in flight first (ties in written order). */
  static Router leastBusy() {
    return Strategies.LEAST_BUSY;
  }

  /**
   * Candidates that would take an attempt now (circuit closed and not cooling down) first, in
   * written order; then half-open ones; open or cooling ones last.
   */
  static Router healthiest() {
    return Strategies.HEALTHIEST;
  }
}
