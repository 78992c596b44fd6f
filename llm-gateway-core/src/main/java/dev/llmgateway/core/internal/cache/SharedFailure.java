package dev.llmgateway.core.internal.cache;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.spi.AttemptContext;
import org.jspecify.annotations.Nullable;

/**
 * Which failures of a coalesced call's leader its waiters share. A failure that belongs to the
 * request — the request itself refused, or what the providers said to it — is shared: a waiter
 * would get the same. A failure that belongs to the leader's own call is not: each waiter then
 * makes its own attempt (one of them leading, the others waiting for it) instead of inheriting
 * another caller's timeout or cancellation.
 *
 * <p>Shared: {@link InvalidRequestException} (and its kinds: context length, model not found,
 * unsupported capability), {@link ContentFilteredException}, the providers' failures ({@link
 * ProviderUnavailableException} and overloaded, {@link RateLimitedException}, {@link
 * QuotaExhaustedException}, an attempt's own {@link GatewayTimeoutException} — attempt, first
 * token, idle — whose limits are the gateway's, the same for every caller), and an {@link
 * AllCandidatesFailedException} each of whose failures is shared.
 *
 * <p>Not shared: the leader's total deadline running out ({@link
 * GatewayTimeoutException.Kind#TOTAL}, also as the last failure of all candidates), any failure the
 * leader met once its thread was interrupted or its own deadline had passed (its attempts may have
 * been cut short), failures about the caller rather than the request (access, authentication,
 * budget, policy: later steps and around-attempt interceptors see who calls), {@link
 * dev.llmgateway.GatewayInternalException} (a bug, or an interruption as some steps report it), any
 * other {@code GatewayException} subclass, and anything that is not a {@code GatewayException} at
 * all (an {@code Error} on the leader's thread).
 *
 * <p>Stateless; called on the leader's thread as its failure leaves the chain.
 */
final class SharedFailure {
  private SharedFailure() {}

  /**
   * The leader's failure if its waiters may share it; null if it belongs to the leader's call.
   *
   * @param failure what the rest of the chain threw for the leader
   * @param leader the leader's call, for its deadline
   */
  static @Nullable GatewayException of(Throwable failure, Call leader) {
    if (!(failure instanceof GatewayException g) || Thread.currentThread().isInterrupted()) {
      return null;
    }
    long deadline = leader.deadlineNanos();
    if (deadline != AttemptContext.NO_DEADLINE && System.nanoTime() - deadline >= 0) {
      return null;
    }
    return belongsToTheRequest(g) ? g : null;
  }

  private static boolean belongsToTheRequest(GatewayException e) {
    if (e instanceof GatewayTimeoutException t) {
      return t.kind() != GatewayTimeoutException.Kind.TOTAL;
    }
    if (e instanceof AllCandidatesFailedException all) {
      if (!(all.getCause() instanceof GatewayException last) || !belongsToTheRequest(last)) {
        return false;
      }
      for (Throwable each : all.getSuppressed()) {
        if (!(each instanceof GatewayException g) || !belongsToTheRequest(g)) {
          return false;
        }
      }
      return true;
    }
    return e instanceof InvalidRequestException
        || e instanceof ContentFilteredException
        || e instanceof ProviderUnavailableException
        || e instanceof RateLimitedException
        || e instanceof QuotaExhaustedException;
  }
}
