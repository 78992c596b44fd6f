package dev.llmgateway.core.limit;

import java.util.List;

/**
 * Where rate limits keep their counts: sliding windows of requests and tokens, and concurrency
 * slots held under leases. {@link InMemoryLimitStore} is the default, for one JVM; a shared store
 * (Redis) lets several JVMs count together. The gateway calls it at most twice per call — once to
 * {@link #acquire} at admission (once more per attempt for deployment limits) and once to {@link
 * #settle} when the call ends — so a shared store can do each in one round trip (one script per
 * {@link LimitCounter#tenant() tenant}: every counter of one admission but the gateway-wide and
 * deployment ones shares its tenant), with integer arithmetic only.
 *
 * <p><b>The algorithm every store implements</b> (so that the bound in {@link RateLimit} holds):
 * time {@code t} falls in bucket {@code floor(t / b)} with {@code b = }{@link
 * LimitRequest#bucketMillis()}; a window request at bucket {@code k} is admitted when the counts
 * of buckets {@code k - N .. k} plus its amount stay within the limit, and its amount is then
 * added to bucket {@code k}. The store keeps each counter's time from going back: a request whose
 * time is before the newest time the counter has counted at is counted at that newest time (so a
 * thread that read the clock a moment before another, or a clock stepped back, cannot slip a count
 * into a bucket a later admission no longer sees); a clock stepped back by more than a window
 * starts the counter afresh. A slot request is admitted when fewer than {@code limit} unexpired
 * leases are held, or when its lease id already holds one (then it is renewed).
 *
 * <p>Implementations must be thread-safe; the methods are called on the callers' threads, must
 * not block for long (a shared store bounds each call by its own timeout) and must not throw for
 * a refusal.
 */
public interface LimitStore {

  /**
   * Takes every request or none: all admitted (each window's amount counted, each slot taken), or
   * none taken and the first request that refused named, with the time until it would admit:
   * until enough of its window's oldest buckets leave it; unknown for a slot (when a holder ends)
   * and for an amount above the limit (never).
   *
   * <p>Atomicity: each counter's check-and-add is atomic (no two admissions both fit in the room
   * one of them left). Across the counters of one call it is all-or-nothing in effect: what a
   * refused call took from other counters is given back before this returns; a concurrent call may
   * see those counts in between (and be refused where a serial order would have admitted it —
   * never admitted where the bound forbids). A shared store should make the whole call atomic
   * where it can (one script).
   *
   * @param requests what to take, in the order refusals are reported
   * @param nowMillis the gateway's clock ({@code GatewayBuilder.clock}); a shared store may use
   *     its own clock instead, so that JVMs with skewed clocks count alike
   */
  Acquisition acquire(List<LimitRequest> requests, long nowMillis);

  /**
   * Settles what calls took when they ended: adds each adjustment's delta to the bucket its request
   * was counted in, if that bucket is still in the window (a count is never taken below zero; a
   * bucket already out of the window is left alone: it counts no more), and releases each slot (of
   * its lease id; releasing one that is not held, or released before, does nothing). Each
   * settlement is atomic on its counter; the list need not be.
   *
   * @param settlements what to settle, any order
   * @param nowMillis the gateway's clock
   */
  void settle(List<Settlement> settlements, long nowMillis);
}
