package dev.llmgateway.redis;

/**
 * What the Redis stores do while Redis fails (a command timed out, the connection is down, the
 * server refused): refuse admissions with a typed error ({@link #failClosed()}, the default) or
 * admit under local limits in this JVM ({@link #failOpen(int)}). Either way settlements are never
 * lost: what could not be written is kept and written when Redis answers again (budget spending
 * exactly once, by call id). Immutable.
 */
public final class FailurePolicy {
  /** The two policies. */
  public enum Mode {
    /** Refuse: limits throw {@link RedisUnavailableException}, budgets a store exception. */
    FAIL_CLOSED,
    /** Admit under this JVM's share of every limit and budget, counted in memory. */
    FAIL_OPEN
  }

  private static final FailurePolicy CLOSED = new FailurePolicy(Mode.FAIL_CLOSED, 1);

  private final Mode mode;
  private final int expectedReplicas;

  private FailurePolicy(Mode mode, int expectedReplicas) {
    this.mode = mode;
    this.expectedReplicas = expectedReplicas;
  }

  /**
   * Fail closed: while Redis fails, every admission that needs it fails with a typed, retriable
   * error (after one command timeout at most; at once while the outage is known). The default.
   */
  public static FailurePolicy failClosed() {
    return CLOSED;
  }

  /**
   * Fail open: while Redis fails, admit under local limits in this JVM, each the shared one
   * divided by {@code expectedReplicas} (the JVMs expected to share Redis; at least 1 each): a
   * rate limit of 600 per minute allows 150 per minute per JVM with 4 replicas, a concurrency
   * limit of 8 allows 2; a budget allows its room as last read from Redis (its limit less what
   * was spent and reserved; the whole limit when never read) divided likewise. Spending during the
   * outage is written to Redis when it answers again, once per call.
   *
   * @param expectedReplicas how many JVMs share the limits, at least 1
   * @throws IllegalArgumentException if {@code expectedReplicas} is below 1
   */
  public static FailurePolicy failOpen(int expectedReplicas) {
    if (expectedReplicas < 1) {
      throw new IllegalArgumentException("expectedReplicas must be at least 1, was "
          + expectedReplicas);
    }
    return new FailurePolicy(Mode.FAIL_OPEN, expectedReplicas);
  }

  /** The policy. */
  public Mode mode() {
    return mode;
  }

  /** The divisor of the local limits under {@link Mode#FAIL_OPEN}; 1 under fail-closed. */
  public int expectedReplicas() {
    return expectedReplicas;
  }

  @Override
  public String toString() {
    return mode == Mode.FAIL_CLOSED ? "FailurePolicy[fail closed]"
        : "FailurePolicy[fail open, limits divided by " + expectedReplicas + "]";
  }
}
