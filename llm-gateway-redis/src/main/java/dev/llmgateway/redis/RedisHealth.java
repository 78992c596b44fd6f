package dev.llmgateway.redis;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the Redis stores' state ({@link RedisStores#health()}): whether Redis answers, the
 * mode the stores are in, and counts since the stores were built. Immutable.
 */
public final class RedisHealth {
  /** The mode the stores are in. */
  public enum Mode {
    /** Redis answers: every admission is counted there. */
    NORMAL,
    /** Redis fails and the policy fails open: admissions are counted locally. */
    FAILING_OPEN,
    /** Redis fails and the policy fails closed: admissions that need it are refused. */
    FAILING_CLOSED
  }

  private final boolean connected;
  private final Mode mode;
  private final @Nullable Instant downSince;
  private final long outages;
  private final long failures;
  private final long fallbacks;
  private final long refusals;
  private final int pending;
  private final long reconciled;
  private final long dropped;

  private RedisHealth(boolean connected, Mode mode, @Nullable Instant downSince, long outages,
      long failures, long fallbacks, long refusals, int pending, long reconciled, long dropped) {
    this.connected = connected;
    this.mode = mode;
    this.downSince = downSince;
    this.outages = outages;
    this.failures = failures;
    this.fallbacks = fallbacks;
    this.refusals = refusals;
    this.pending = pending;
    this.reconciled = reconciled;
    this.dropped = dropped;
  }

  /**
   * A snapshot with these figures.
   *
   * @param connected whether the connection is open and the last command answered
   * @param mode the mode now
   * @param downSince when the current outage began, or null when Redis answers
   * @param outages outages seen (each began with a failure after a success)
   * @param failures commands that failed (timed out, refused, errors)
   * @param fallbacks admissions counted locally (fail-open)
   * @param refusals admissions refused for Redis (fail-closed)
   * @param pending writes waiting for Redis (settlements, releases, marks)
   * @param reconciled writes written to Redis after an outage
   * @param dropped writes dropped because too many were waiting
   * @return the snapshot
   */
  public static RedisHealth of(boolean connected, Mode mode, @Nullable Instant downSince,
      long outages, long failures, long fallbacks, long refusals, int pending, long reconciled,
      long dropped) {
    return new RedisHealth(connected, mode, downSince, outages, failures, fallbacks, refusals,
        pending, reconciled, dropped);
  }

  /** Whether the connection is open and Redis answered the last command. */
  public boolean connected() {
    return connected;
  }

  /** The mode now. */
  public Mode mode() {
    return mode;
  }

  /** When the current outage began, or null when Redis answers. */
  public @Nullable Instant downSince() {
    return downSince;
  }

  /** Outages seen since the stores were built. */
  public long outages() {
    return outages;
  }

  /** Commands that failed (timed out, refused while disconnected, server errors). */
  public long failures() {
    return failures;
  }

  /** Admissions (limit acquisitions, budget reads, reservations) counted locally, failing open. */
  public long fallbacks() {
    return fallbacks;
  }

  /** Admissions refused because Redis failed, failing closed. */
  public long refusals() {
    return refusals;
  }

  /** Writes waiting for Redis to answer again. */
  public int pending() {
    return pending;
  }

  /** Writes written to Redis after an outage (each budget settlement once). */
  public long reconciled() {
    return reconciled;
  }

  /** Writes dropped because too many were waiting. */
  public long dropped() {
    return dropped;
  }

  @Override
  public String toString() {
    return "RedisHealth[" + mode + (connected ? ", connected" : ", not connected")
        + (downSince == null ? "" : ", down since " + downSince) + ", outages=" + outages
        + ", failures=" + failures + ", fallbacks=" + fallbacks + ", refusals=" + refusals
        + ", pending=" + pending + ", reconciled=" + reconciled + ", dropped=" + dropped + "]";
  }
}
