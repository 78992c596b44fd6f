package dev.llmgateway.core.policy;

/**
 * Whether a {@link PolicySet} acts or only watches. In {@link #MONITOR} mode every policy runs and
 * records what it would have done ({@code would-block}, {@code would-redact}), but nothing is
 * blocked, redacted, masked or rewritten: the way to try a policy set on real traffic first.
 */
public enum PolicyMode {
  /** Policies act: block, redact, transform. */
  ENFORCE,
  /** Policies only record verdicts. */
  MONITOR
}
