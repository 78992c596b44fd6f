package dev.llmgateway.report;

/** How the cheapest-within-margin rule ({@link VariantChoice}) judged one variant. */
public enum VariantVerdict {
  /** The cheapest of the variants within both margins: the pick. */
  PICKED,
  /** Within both margins, but dearer than the pick. */
  WITHIN_MARGIN,
  /** Its error rate exceeds the best eligible variant's by more than the error margin. */
  ERROR_RATE_OUTSIDE_MARGIN,
  /** Its mean score is below the best eligible variant's by more than the score margin. */
  SCORE_OUTSIDE_MARGIN,
  /** Other eligible variants have feedback scores and this one has none, so it cannot compare. */
  UNSCORED,
  /** Fewer decided calls than the minimum: not judged. */
  TOO_FEW_CALLS,
  /** No call with a known cost: not judged. */
  NO_KNOWN_COST
}
