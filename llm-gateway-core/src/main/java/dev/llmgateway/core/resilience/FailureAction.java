package dev.llmgateway.core.resilience;

import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.route.Route;

/**
 * What the gateway does when an attempt fails with a given class of error; set with {@link
 * GatewayBuilder#onFailure(Class, FailureAction)}. The defaults:
 *
 * <ul>
 *   <li>{@link dev.llmgateway.RateLimitedException} and {@link
 *       dev.llmgateway.ProviderUnavailableException} (5xx, overloaded, connection failures):
 *       {@link #RETRY};
 *   <li>{@link dev.llmgateway.GatewayTimeoutException} (attempt, first-token and idle timeouts),
 *       {@link dev.llmgateway.QuotaExhaustedException} and {@link
 *       dev.llmgateway.UnsupportedCapabilityException} (a transport refused what its model cannot
 *       serve; another candidate may): {@link #FAIL_OVER};
 *   <li>everything else, client errors included ({@link dev.llmgateway.InvalidRequestException},
 *       {@link dev.llmgateway.ContextLengthExceededException}, {@link
 *       dev.llmgateway.ContentFilteredException}, authentication): {@link #FAIL}.
 * </ul>
 *
 * A call's own deadline passing ({@link dev.llmgateway.GatewayTimeoutException.Kind#TOTAL}) always
 * fails. {@link #FAIL_OVER} on {@link dev.llmgateway.ContextLengthExceededException} moves only to
 * candidates whose context window is known to be larger. A route's {@link
 * Route#onContentFiltered(String)} fallback applies whatever the action for content filtering.
 */
public enum FailureAction {
  /** Try the same deployment again (per its {@link RetryPolicy}); then fail over. */
  RETRY,
  /** Move on to the next candidate at once. */
  FAIL_OVER,
  /** End the call with this error. */
  FAIL
}
