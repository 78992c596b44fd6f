package dev.llmgateway.core.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.CircuitState;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Router} sees: the request (through {@link RoutingInput}), the route's candidates,
 * and what the gateway knows of each deployment: its price, observed latency, attempts in flight
 * and circuit state.
 */
public interface RoutingContext extends RoutingInput {

  /** The route's candidates, in the order written. */
  List<Deployment> candidates();

  /** The deployment's price from the gateway's price table, or null when unknown. */
  @Nullable Price price(Deployment deployment);

  /**
   * The moving average of the deployment's successful attempt latency (for streams, time to first
   * token) in nanoseconds; -1 when it has none yet.
   */
  long latencyNanos(Deployment deployment);

  /** The deployment's attempts in flight now, over all calls. */
  int inFlight(Deployment deployment);

  /** The deployment's circuit state now. */
  CircuitState circuit(Deployment deployment);

  /** Whether the deployment would take an attempt now (circuit not open, not cooling down). */
  boolean available(Deployment deployment);

  /** The gateway's random source (seedable in tests through the builder). */
  RandomGenerator random();
}
