package dev.llmgateway;

import java.time.Instant;
import java.util.Objects;

/**
 * A quality score given to a past call ({@code Gateway.feedback}), delivered to the usage sinks
 * as its own record and joined to the call's {@link UsageRecord} by call id. A call may get
 * several; the last one counts.
 *
 * @param callId the call's id, as its usage record and answer carry it
 * @param timestamp when the score was given
 * @param score the score, a finite number (a thumbs-up as 1 or 0, an eval's result)
 */
public record FeedbackRecord(String callId, Instant timestamp, double score) {
  /** The version of the record's JSON form; the same as {@link UsageRecord#SCHEMA_VERSION}. */
  public static final int SCHEMA_VERSION = UsageRecord.SCHEMA_VERSION;

  /** Validates. */
  public FeedbackRecord {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(timestamp, "timestamp");
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score must be a finite number, was " + score);
    }
  }
}
