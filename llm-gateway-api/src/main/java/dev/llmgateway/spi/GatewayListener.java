package dev.llmgateway.spi;

import dev.llmgateway.Attempt;
import dev.llmgateway.Deployment;
import dev.llmgateway.UsageRecord;
import java.time.Duration;
import java.util.List;

/**
 * Observes calls. Events come in this order: {@code onCallStart} → {@code onRouted} → ({@code
 * onAttemptStart} → {@code onAttemptEnd}) × N → {@code onFirstToken} (streams) → {@code
 * onCallEnd}. A call that fails before routing skips the middle events; {@code onCallEnd} always
 * comes, exactly once.
 *
 * <p>A listener cannot break a call: whatever it throws is caught and logged. Methods may run on
 * different threads for one streamed call; implementations must be thread-safe and fast.
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

  /** An attempt ended. */
  default void onAttemptEnd(CallContext call, Attempt attempt) {}

  /** A stream's first content event reached the caller (its commit point). */
  default void onFirstToken(CallContext call, Duration timeToFirstToken) {}

  /** The call ended; the record is the one the usage sinks receive. */
  default void onCallEnd(CallContext call, UsageRecord record) {}
}
