package dev.llmgateway.core;

/**
 * Where a user interceptor goes in the chain. Within one position, interceptors run in the order
 * they were added.
 */
public enum InterceptorPosition {
  /** Before everything, authentication included: sees the raw request and caller. */
  FIRST,
  /**
   * After authentication (and, as they land, access, input policies, quotas and cache), just
   * before routing: the place to rewrite the model or the messages.
   */
  BEFORE_ROUTING,
  /**
   * Around each attempt, after routing chose a deployment: runs once per attempt, sees {@link
   * dev.llmgateway.spi.Interceptor.Chain#attempt()} and may add HTTP headers to it.
   */
  AROUND_ATTEMPT
}
