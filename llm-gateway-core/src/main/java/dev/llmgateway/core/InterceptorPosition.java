package dev.llmgateway.core;

/**
 * Where a user interceptor goes in the chain. Within one position, interceptors run in the order
 * they were added.
 */
public enum InterceptorPosition {
  /**
   * Before everything but metering, authentication included: sees the raw request and caller; a
   * call it answers or fails is still metered.
   */
  FIRST,
  /**
   * After authentication (and, as they land, access, input policies, limits and budgets), just
   * before routing selects a route and the cache is asked: the place to rewrite the model or the
   * messages, or to set the call's {@link dev.llmgateway.core.route.Downgrade}.
   */
  BEFORE_ROUTING,
  /**
   * Around each attempt, after routing chose a deployment: runs once per attempt, sees {@link
   * dev.llmgateway.spi.Interceptor.Chain#attempt()} and may add HTTP headers to it.
   */
  AROUND_ATTEMPT
}
