package dev.llmgateway.redis;

/**
 * Which clock the Redis stores count rate-limit windows and leases on.
 *
 * <p>Budget periods are always the gateway's (a call is charged to the period its gateway's clock
 * says it started in); so is every time handed back to the gateway ({@code
 * Acquisition.countedAtMillis}, which the gateway only passes back to the store).
 */
public enum TimeSource {
  /**
   * The Redis server's clock ({@code TIME}, read inside each script): every JVM counts a window
   * on the same clock, so the windows' bound holds across instances whatever their clocks' skew.
   * A lease the gateway ends at its own time {@code T} is kept until the server's now plus {@code
   * T} minus the gateway's now: its length is the gateway's, its end the server's. The default.
   * (On Redis Cluster each counter is counted on the clock of the node that holds it.)
   */
  SERVER,
  /**
   * The {@code nowMillis} the gateway passes (its {@code GatewayBuilder.clock}): windows count on
   * the clocks of the JVMs, which must agree; a JVM whose clock runs ahead by {@code s} moves the
   * counters it touches forward by {@code s}, so in the worst case a window admits what fits in
   * a window of {@code W + s}. For tests with an injected clock, and for clocks kept in step.
   */
  GATEWAY
}
