package dev.llmgateway;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One transport call to one deployment, as the response or the exception reports it.
 *
 * <p>{@link #toString()} prints one line: {@code Attempt[#2 anthropic/claude-sonnet-4-5 (retry)
 * FAILED HTTP 529 in 9.56 ms: ProviderOverloadedException: Overloaded; retrying in 899 ms]}. The
 * reason is the gateway's own text or the transport's safe message (status, type, code and a fixed
 * text), never a provider's free text.
 *
 * @param number 1 for the first attempt of a call, counting across retries and failover
 * @param deployment where the attempt went
 * @param outcome how it ended
 * @param httpStatus the provider's HTTP status (200 for a success over HTTP), or null when none was
 *     received (a connection failure, a provider that does not speak HTTP)
 * @param latency from sending to the end of the attempt
 * @param errorType the simple name of the exception that ended it, or null on success
 * @param reason why the gateway moved on (or the error message), or null on success
 * @param usage the tokens this attempt consumed (estimated where the provider reported none)
 * @param kind why the attempt was made: the first, a retry, a failover or a hedge
 */
public record Attempt(
    int number,
    Deployment deployment,
    Outcome outcome,
    @Nullable Integer httpStatus,
    Duration latency,
    @Nullable String errorType,
    @Nullable String reason,
    Usage usage,
    Kind kind) {

  /** How an attempt ended. */
  public enum Outcome {
    /** It produced the answer. */
    SUCCEEDED,
    /** It failed; see {@code errorType} and {@code reason}. */
    FAILED,
    /** It was cancelled: by the caller, by the call's deadline, or as the loser of a hedge. */
    CANCELLED,
    /**
     * No call was made: the deployment's circuit was open or it was cooling down after a 429 (the
     * reason says which). Such entries have number 0 and no latency.
     */
    SKIPPED
  }

  /** Why an attempt was made. */
  public enum Kind {
    /** The call's first attempt. */
    FIRST,
    /** The same deployment again, after a retriable failure and a backoff. */
    RETRY,
    /** The next candidate, after the previous one failed or was skipped. */
    FAILOVER,
    /** A parallel attempt at the next candidate because the first was slow to answer. */
    HEDGE
  }

  /** An attempt whose kind is {@link Kind#FIRST} (number 1) or {@link Kind#FAILOVER}. */
  public Attempt(int number, Deployment deployment, Outcome outcome,
      @Nullable Integer httpStatus, Duration latency, @Nullable String errorType,
      @Nullable String reason, Usage usage) {
    this(number, deployment, outcome, httpStatus, latency, errorType, reason, usage,
        number <= 1 ? Kind.FIRST : Kind.FAILOVER);
  }

  /** Validates. */
  public Attempt {
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(kind, "kind");
  }

  /** One line: number, deployment, kind, outcome, status, latency, tokens and reason. */
  @Override
  public String toString() {
    return "Attempt[" + (outcome == Outcome.SKIPPED ? "" : "#" + number + " ")
        + Story.attempt(this, true) + "]";
  }
}
