package dev.llmgateway;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One transport call to one deployment, as the response or the exception reports it.
 *
 * @param number 1 for the first attempt of a call, counting across retries and failover
 * @param deployment where the attempt went
 * @param outcome how it ended
 * @param httpStatus the provider's HTTP status, or null when none was received
 * @param latency from sending to the end of the attempt
 * @param errorType the simple name of the exception that ended it, or null on success
 * @param reason why the gateway moved on (or the error message), or null on success
 * @param usage the tokens this attempt consumed (estimated where the provider reported none)
 */
public record Attempt(
    int number,
    Deployment deployment,
    Outcome outcome,
    @Nullable Integer httpStatus,
    Duration latency,
    @Nullable String errorType,
    @Nullable String reason,
    Usage usage) {

  /** How an attempt ended. */
  public enum Outcome {
    /** It produced the answer. */
    SUCCEEDED,
    /** It failed; see {@code errorType} and {@code reason}. */
    FAILED,
    /** It was cancelled: by the caller, by a timeout, or as the loser of a hedge. */
    CANCELLED
  }

  /** Validates. */
  public Attempt {
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(usage, "usage");
  }
}
