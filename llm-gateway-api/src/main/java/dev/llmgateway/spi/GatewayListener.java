package dev.llmgateway.spi;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallResult;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.UsageRecord;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Observes calls. Events come in this order: {@code onCallStart} → {@code onRouted} → ({@code
 * onAttemptStart} → {@code onAttemptEnd}) × N → {@code onFirstToken} (streams) → {@code
 * onCallEnd}. A call that fails before routing skips the middle events; {@code onCallEnd} always
 * comes, exactly once.
 *
 * <p>A listener cannot break a call: whatever it throws is caught and logged. Methods may run on
 * different threads for one call; implementations must be thread-safe and fast.
 *
 * <p>Threads. Each event runs on the thread that caused it, never on the gateway's timer thread:
 * {@code onCallStart} and {@code onRouted} on the caller's thread ({@code chatAsync}: the
 * gateway's executor); {@code onAttemptStart} and {@code onAttemptEnd} on the thread running or
 * ending that attempt — the caller's for a first attempt and for a failover its failure decided,
 * the gateway's executor for a hedge, a retry after a backoff and an attempt a timeout ended, the
 * thread that cancelled for a cancelled one; {@code onFirstToken} on the thread delivering the
 * stream's first event; {@code onCallEnd} on the thread that ends the call: the caller's for a
 * unary call, the one delivering a stream's terminal event, the one that cancelled, or the
 * gateway's executor when a timer ended it (a timeout, a stream never subscribed).
 *
 * <p>The gateway calls the attempt events that carry the attempt's request and answer ({@link
 * #onAttemptStart(CallContext, AttemptContext, GatewayRequest)}, {@link #onAttemptEnd(CallContext,
 * AttemptContext, Attempt, CallResult)}); their defaults call the shorter forms. A listener that
 * wraps another forwards those forms, or the one it wraps never sees the request and answer.
 */
public interface GatewayListener {
  /** A listener that does nothing. */
  GatewayListener NONE = new GatewayListener() {};

  /** The call entered the gateway. */
  default void onCallStart(CallContext call) {}

  /** Routing chose the ordered candidate deployments. */
  default void onRouted(CallContext call, List<Deployment> candidates) {}

  /** An attempt is about to be sent; listeners may add headers to it. */
  default void onAttemptStart(CallContext call, AttemptContext attempt) {}

  /**
   * An attempt is about to be sent, with the request it carries: the request as the execute step
   * sends it down the attempt's chain, after every step before it (an input policy's redaction
   * included), its model the caller's (the deployment's model is {@code attempt.deployment()}).
   * The gateway calls this one; by default it calls {@link #onAttemptStart(CallContext,
   * AttemptContext)}. Listeners may add headers to the attempt.
   */
  default void onAttemptStart(CallContext call, AttemptContext attempt, GatewayRequest request) {
    onAttemptStart(call, attempt);
  }

  /** An attempt ended. */
  default void onAttemptEnd(CallContext call, Attempt attempt) {}

  /**
   * An attempt ended, with its context and, when it succeeded, the provider's answer as the
   * execute step received it — before any step on the way back changed it (an output policy's
   * restored placeholders are not in it): a {@code ChatResponse} (a stream's assembled answer) or
   * an {@code EmbeddingResponse}; null when it did not succeed. The gateway calls this one; by
   * default it calls {@link #onAttemptEnd(CallContext, Attempt)}.
   */
  default void onAttemptEnd(CallContext call, AttemptContext context, Attempt attempt,
      @Nullable CallResult answer) {
    onAttemptEnd(call, attempt);
  }

  /** A stream's first content event reached the caller (its commit point). */
  default void onFirstToken(CallContext call, Duration timeToFirstToken) {}

  /** The call ended; the record is the one the usage sinks receive. */
  default void onCallEnd(CallContext call, UsageRecord record) {}
}
