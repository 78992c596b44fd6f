package dev.llmgateway.spi;

import dev.llmgateway.ModerationRequest;
import dev.llmgateway.ModerationResult;

/**
 * A service that classifies texts as harmful or not, by category, such as OpenAI's {@code
 * /v1/moderations}. A content policy asks it about a call's input or output; a transport that
 * offers one says so as a capability (for OpenAI, {@code OpenAiProvider.moderation()}).
 *
 * <p>Implementations must be thread-safe, must honour the request's timeout, and report every
 * failure as a {@link dev.llmgateway.GatewayException} subclass whose message never quotes an
 * input (a rate limit as {@link dev.llmgateway.RateLimitedException} with its {@code retryAfter},
 * a refused key as {@link dev.llmgateway.AuthenticationException}, an outage or an unreadable
 * answer as {@link dev.llmgateway.ProviderUnavailableException}, a stall as {@link
 * dev.llmgateway.GatewayTimeoutException}).
 */
@FunctionalInterface
public interface ModerationProvider {

  /**
   * Classifies the request's inputs, waiting at most its timeout.
   *
   * @return one result per input, in order
   * @throws dev.llmgateway.GatewayException on any failure
   */
  ModerationResult moderate(ModerationRequest request);
}
