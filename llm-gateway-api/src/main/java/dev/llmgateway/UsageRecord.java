package dev.llmgateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What one call used, for billing, quotas and audit. Every call that enters the gateway produces
 * exactly one record, whatever happens to it: success (from a provider, the cache or an
 * interceptor), typed failure, refusal by the gateway itself (authentication, access, a limit, a
 * budget, a policy), a stream failing after its caller had content, cancellation, or a stream never
 * started. Feedback scores given later are records of their own ({@link FeedbackRecord}), joined
 * by call id.
 *
 * <p>The record's JSON form (schema {@value #SCHEMA_VERSION}) is what the usage sinks that write
 * JSON produce and the usage report reads; new versions only add fields.
 *
 * <p>{@link #toString()} prints the record on one line and {@link #story()} on a few, costs in
 * plain notation; neither prints a raw end-user id: the principal prints itself redacted (see
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
 * @param servedModel the model that served the answer as the provider named it ({@link
 *     ChatResponse#servedModel()}), or null when none did or the provider named none (a name longer
 *     than 256 characters, blank or holding a control character is dropped)
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
 * @param refusal what refused the call when the gateway itself did ({@link Outcome#REFUSED}), else
 *     null
 * @param policies what the input and output policies decided, in the order they ran
 */
public record UsageRecord(
    String callId,
    Instant timestamp,
    CallKind kind,
    @Nullable Principal principal,
    String requestedModel,
    @Nullable Deployment deployment,
    @Nullable String servedModel,
    List<Attempt> attempts,
    Usage usage,
    @Nullable BigDecimal cost,
    Duration latency,
    @Nullable Duration timeToFirstToken,
    Outcome outcome,
    @Nullable String errorType,
    Set<String> tags,
    boolean cacheHit,
    @Nullable RoutingDecision routing,
    @Nullable Refusal refusal,
    List<PolicyVerdict> policies) {

  /** The version of the record's JSON form; later versions only add fields. */
  public static final int SCHEMA_VERSION = 1;

  /** How a call ended. */
  public enum Outcome {
    /** The caller got an answer (from a provider, the cache or an interceptor). */
    SUCCEEDED,
    /**
     * The call ended with a {@link GatewayException} ({@code errorType} names it) before its caller
     * had any content: a provider's error, a timeout, every candidate failing, an invalid request.
     */
    FAILED,
    /**
     * The gateway itself refused the call before any provider was asked ({@code refusal} says which
     * step, {@code errorType} the exception): not the provider's refusal, which is {@link #FAILED}.
     */
    REFUSED,
    /**
     * A stream failed after its caller had received content (its commit point had passed), so
     * the caller holds part of an answer; {@code errorType} names the failure. Tokens used are
     * charged.
     */
    STREAM_FAILED,
    /** The caller cancelled (closed the stream, cancelled the future). */
    CANCELLED,
    /**
     * A stream the caller never subscribed to: metered when its gateway closed or when it expired
     * unsubscribed; no provider was called, and a late subscriber gets a failure instead.
     */
    NOT_STARTED
  }

  /** The step of the gateway that refused a call ({@link Outcome#REFUSED}). */
  public enum Refusal {
    /** The caller's credential was missing or not accepted. */
    AUTHENTICATION,
    /** The caller may not use what it asked for (an access rule). */
    ACCESS,
    /** A rate or concurrency limit. */
    LIMIT,
    /** A budget. */
    BUDGET,
    /** An input policy (PII, prompt injection, content filter). */
    POLICY
  }

  /**
   * A record without a refusal or policy verdicts: the form of calls before those steps, kept so
   * that code making records (tests, replays of older files) needs no change.
   */
  public UsageRecord(String callId, Instant timestamp, CallKind kind,
      @Nullable Principal principal, String requestedModel, @Nullable Deployment deployment,
      @Nullable String servedModel, List<Attempt> attempts, Usage usage,
      @Nullable BigDecimal cost, Duration latency, @Nullable Duration timeToFirstToken,
      Outcome outcome, @Nullable String errorType, Set<String> tags, boolean cacheHit,
      @Nullable RoutingDecision routing) {
    this(callId, timestamp, kind, principal, requestedModel, deployment, servedModel, attempts,
        usage, cost, latency, timeToFirstToken, outcome, errorType, tags, cacheHit, routing, null,
        List.of());
  }

  /** Validates and copies. */
  public UsageRecord {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(requestedModel, "requestedModel");
    servedModel = ServedModel.bounded(servedModel);
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(outcome, "outcome");
    tags = Set.copyOf(tags);
    policies = List.copyOf(policies);
    if ((outcome == Outcome.REFUSED) != (refusal != null)) {
      throw new IllegalArgumentException("a refusal goes with the outcome REFUSED and only with it;"
          + " was outcome " + outcome + ", refusal " + refusal);
    }
  }

  /** The A/B variant the call landed in, or null. */
  public @Nullable String variant() {
    return routing == null ? null : routing.variant();
  }

  /**
   * The call on a few lines, for a person to read: its id, kind and outcome (with the error's type)
   * and what was asked for against what served it, with latency and time to first token; the
   * caller (redacted as {@link Principal#toString()} prints it) and tags; the routing decision;
   * each attempt; the tokens; the cost in plain notation. For reading, not parsing.
   */
  public String story() {
    StringBuilder head = new StringBuilder(96).append("call ").append(callId).append(' ')
        .append(kind).append(' ').append(outcome);
    if (refusal != null) {
      head.append(" by ").append(refusal);
    }
    if (errorType != null) {
      head.append(" (").append(errorType).append(')');
    }
    head.append(": ");
    models(head);
    if (cacheHit) {
      head.append(" from the cache");
    }
    head.append(" in ").append(Story.millis(latency));
    if (timeToFirstToken != null) {
      head.append(", first token after ").append(Story.millis(timeToFirstToken));
    }
    Story story = Story.headed(head.toString());
    if (principal != null) {
      story.line("caller", principal.toString());
    }
    if (!tags.isEmpty()) {
      story.line("tags", String.join(", ", new TreeSet<>(tags)));
    }
    return story.policies(policies).route(routing)
        .attempts(attempts, routing != null)
        .tokensAndCost(usage, cost)
        .toString();
  }

  /**
   * What was asked for and what served it: {@code smart → openai/gpt-4.1 (model
   * gpt-4.1-2025-04-14)}; a deployment asked for by name once, the served model only when it is
   * not the deployment's.
   */
  private void models(StringBuilder s) {
    s.append(requestedModel);
    if (deployment != null && !requestedModel.equals(deployment.toString())) {
      s.append(" → ").append(deployment);
    }
    if (servedModel != null && (deployment == null || !servedModel.equals(deployment.model()))) {
      s.append(" (model ").append(servedModel).append(')');
    }
  }

  /**
   * The record on one line, e.g. {@code UsageRecord[call cd4q-2 CHAT SUCCEEDED smart →
   * openai/gpt-4.1 (model gpt-4.1-2025-04-14), 2 attempts, 96 in, 9 out, $0.000264, 1515.98 ms,
   * at 2025-01-01T10:00:00Z, Principal[team=support, user=<redacted>]]}.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(160).append("UsageRecord[call ").append(callId)
        .append(' ').append(kind).append(' ').append(outcome);
    if (refusal != null) {
      s.append(" by ").append(refusal);
    }
    if (errorType != null) {
      s.append(" (").append(errorType).append(')');
    }
    s.append(' ');
    models(s);
    if (variant() != null) {
      s.append(", variant ").append(variant());
    }
    s.append(", ").append(attempts.size()).append(attempts.size() == 1 ? " attempt" : " attempts")
        .append(", ").append(usage.describe());
    s.append(", ").append(cost == null ? "cost unknown" : Story.dollars(cost));
    if (cacheHit) {
      s.append(", cache hit");
    }
    s.append(", ").append(Story.millis(latency));
    if (timeToFirstToken != null) {
      s.append(" (first token ").append(Story.millis(timeToFirstToken)).append(')');
    }
    s.append(", at ").append(timestamp.truncatedTo(ChronoUnit.MILLIS));
    if (principal != null) {
      s.append(", ").append(principal);
    }
    if (!tags.isEmpty()) {
      s.append(", tags ").append(new TreeSet<>(tags));
    }
    for (PolicyVerdict p : policies) {
      s.append(", ").append(p.policy()).append(' ').append(p.verdict());
    }
    return s.append(']').toString();
  }
}
