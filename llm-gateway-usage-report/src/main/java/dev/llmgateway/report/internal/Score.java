package dev.llmgateway.report.internal;

/**
 * A feedback score for a call: the latest by timestamp wins, and of two with the same timestamp
 * the one read later.
 *
 * @param score a finite number
 * @param epochMillis the feedback record's timestamp, {@link Long#MIN_VALUE} when it has none
 * @param sequence the order in which the report read it
 */
public record Score(double score, long epochMillis, long sequence) {

  /** Whether this score replaces {@code earlier}. */
  public boolean wins(Score earlier) {
    return epochMillis != earlier.epochMillis ? epochMillis > earlier.epochMillis
        : sequence > earlier.sequence;
  }
}
