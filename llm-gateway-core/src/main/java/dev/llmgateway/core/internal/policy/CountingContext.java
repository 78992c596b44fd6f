package dev.llmgateway.core.internal.policy;

import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.ExecutionContext;

/**
 * One check's execution context that counts keyword evaluations: the validator enters every
 * keyword it evaluates through {@link #evaluationPathAddLast(String)}, and past its budget the
 * check stops with {@link StepsExceeded}. A schema of a few lines can apply subschemas to the same
 * value 2^n times ({@code $defs} whose {@code anyOf} branches refer twice to the next), so
 * without a count a caller's schema could keep a thread busy for hours. Not thread-safe: one per
 * check.
 */
final class CountingContext extends ExecutionContext {
  private long left;

  CountingContext(ExecutionConfig config, long steps) {
    super(config);
    this.left = steps;
  }

  @Override
  public void evaluationPathAddLast(String token) {
    if (--left < 0) {
      throw new StepsExceeded();
    }
    super.evaluationPathAddLast(token);
  }

  /** The check made more evaluations than its budget. Carries no text. */
  static final class StepsExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepsExceeded() {
      super("a schema check passed its evaluation budget", null, false, false);
    }
  }
}
