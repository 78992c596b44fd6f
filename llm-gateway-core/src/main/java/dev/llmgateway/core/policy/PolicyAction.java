package dev.llmgateway.core.policy;

/**
 * What a prompt-injection or content policy does when it finds something: {@link #BLOCK} refuses
 * the call with a {@link dev.llmgateway.PolicyViolationException} (a stream already under way ends
 * with a {@link dev.llmgateway.ContentFilteredException}); {@link #FLAG} lets the call go on and
 * records the finding in the call's verdicts (its response and usage record).
 */
public enum PolicyAction {
  /** Refuse the call. */
  BLOCK,
  /** Let it go on; record the finding. */
  FLAG
}
