package dev.llmgateway.core.internal.call;

import dev.llmgateway.UsageRecord;

/**
 * What a step must do when its call ends, whatever ended it (an answer, a failure, a refusal by a
 * later step, a cancel, a stream never subscribed): release a concurrency slot, settle the tokens
 * a rate limit estimated, settle or release a budget's reservation. Registered with {@link
 * Call#onEnd(CallEnd)}; the meter runs every registered hook exactly once, with the call's one
 * {@link UsageRecord}, before the record reaches the usage sinks — so what a budget settles is
 * what the record says the call cost. A hook registered after the call ended runs at once.
 *
 * <p>Runs on the thread that ends the call (the caller's, a stream's subscriber's, or the
 * gateway's executor); must not block for long and must not throw (a throw is logged and ignored).
 */
@FunctionalInterface
public interface CallEnd {
  /** The call ended with {@code record}. */
  void ended(UsageRecord record);
}
