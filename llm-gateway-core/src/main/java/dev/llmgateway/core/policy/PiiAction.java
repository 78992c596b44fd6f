package dev.llmgateway.core.policy;

/**
 * What a {@link PiiPolicy} does with one kind of PII it finds.
 *
 * <ul>
 *   <li>{@link #PLACEHOLDER}: replaced by a numbered placeholder such as {@code <EMAIL_1>} (the same
 *       value always the same placeholder within a call); the real value is put back into the answer,
 *       unary, streamed and inside tool-call arguments. The values live in memory for the call only.
 *   <li>{@link #MASK}: replaced by its kind, {@code <EMAIL>}, for good.
 *   <li>{@link #BLOCK}: the call is refused with a {@link dev.llmgateway.PolicyViolationException}.
 *   <li>{@link #FLAG}: left as it is; the call's verdict says it was found.
 * </ul>
 */
public enum PiiAction {
  /** Replace by a numbered placeholder and restore it in the answer. */
  PLACEHOLDER,
  /** Replace by the kind's name, for good. */
  MASK,
  /** Refuse the call. */
  BLOCK,
  /** Leave it; record it in the verdict. */
  FLAG
}
