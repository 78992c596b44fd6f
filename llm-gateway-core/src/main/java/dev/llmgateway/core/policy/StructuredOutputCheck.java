package dev.llmgateway.core.policy;

/**
 * What a {@link PolicySet} does with a unary answer to a request whose response format is a JSON
 * schema ({@link dev.llmgateway.ResponseFormat#jsonSchema}): the answer is checked against the schema
 * (JSON Schema draft 2020-12 unless the schema names another draft), before anything reaches the
 * caller.
 */
public enum StructuredOutputCheck {
  /** No check. */
  OFF,
  /** An answer that does not match is refused with a {@link dev.llmgateway.PolicyViolationException}. */
  REJECT,
  /**
   * An answer that does not match is asked for once more, with the validation errors, inside the
   * same call (one usage record, one budget reservation); a second miss is refused.
   */
  RETRY_ONCE
}
