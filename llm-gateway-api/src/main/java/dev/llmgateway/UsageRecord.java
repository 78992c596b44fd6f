package dev.llmgateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one call used, for billing, quotas and audit. Every call that enters the gateway produces
 * exactly one record, whatever happens to it: success, typed failure, cancellation, or an answer
 * from an interceptor.
 *
 * <p>{@link #toString()} prints no raw end-user id: the principal prints itself redacted (see
 * {@link Principal#toString()}), and the attempts' reasons hold only what the transports let
 * through of a provider's error (status, type, code and a fixed text, never the provider's free
 * text).
 *
 * @param callId the gateway's id for the call
 * @param timestamp when the call entered the gateway
 * @param kind chat, stream or embed
 * @param principal the caller as authenticated, or null when authentication failed
 * @param requestedModel the model, alias or deployment the caller asked for
 * @param deployment the deployment that served the call, or null when none did
 * @param attempts every attempt, in order
 * @param usage the tokens of every attempt, summed ({@code estimated} if any was estimated)
 * @param cost the cost in US dollars, or null when a price is unknown
 * @param latency from entering the gateway to the end of the call
 * @param timeToFirstToken for streams, time to the first content event; else null
 * @param outcome how the call ended
 * @param errorType the simple name of the exception that ended a failed call, or null
 * @param tags the request's tags
 * @param cacheHit whether the gateway's cache answered (no provider was called; cost zero)
 * @param routing why the call went where it went, or null when it was not routed
 */
public record UsageRecord(
    String callId,
    Instant timestamp,
    CallKind kind,
    @Nullable Principal principal,
    String requestedModel,
    @Nullable Deployment deployment,
    List<Attempt> attempts,
    Usage usage,
    @Nullable BigDecimal cost,
    Duration latency,
    @Nullable Duration timeToFirstToken,
    Outcome outcome,
    @Nullable String errorType,
    Set<String> tags,
    boolean cacheHit,
    @Nullable RoutingDecision routing) {

  /** How a call ended. */
  public enum Outcome {
    /** The caller got an answer (from a provider, the cache or an interceptor). */
    SUCCEEDED,
    /** The call ended with a {@link GatewayException}. */
    FAILED,
    /** The caller cancelled (closed the stream, cancelled the future). */
    CANCELLED,
    /**
     * A stream the caller never subscribed to: metered when its gateway closed or when it expired
     * unsubscribed; no provider was called, and a late subscriber gets a failure instead.
     */
    NOT_STARTED
  }

  /** Validates and copies. */
  public UsageRecord {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(requestedModel, "requestedModel");
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(outcome, "outcome");
    tags = Set.copyOf(tags);
  }

  /** The A/B variant the call landed in, or null. */
  public @Nullable String variant() {
    return routing == null ? null : routing.variant();
  }
}
