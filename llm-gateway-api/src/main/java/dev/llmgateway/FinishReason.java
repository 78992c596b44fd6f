package dev.llmgateway;

/** Why the model stopped, normalised across providers; the raw value is kept beside it. */
public enum FinishReason {
  /** A natural end or a stop sequence. */
  STOP,
  /** The output token limit was reached. */
  LENGTH,
  /** The model wants tools called. */
  TOOL_CALLS,
  /** A safety system stopped or withheld the output (incl. refusals). */
  CONTENT_FILTER,
  /** Anything else; see the raw reason. */
  OTHER
}
