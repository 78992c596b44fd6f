package dev.llmgateway.spi;

import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.UsageRecord;
import java.util.List;

/**
 * Receives one {@link UsageRecord} per call (billing, quotas, audit).
 *
 * <p><b>Which thread.</b> A gateway delivers to each sink as its builder registered it (core's
 * {@code GatewayBuilder.usageSink} and {@code UsageDelivery}): an <em>asynchronous</em> sink is
 * called only by that sink's own delivery thread, through {@link #acceptBatch}, never by a caller;
 * an <em>inline</em> sink is called through {@link #accept} on the thread that ends the call, as
 * {@link GatewayListener#onCallEnd} is — the caller's thread for a unary call (after its answer
 * is decided, before {@code chat} returns), the thread delivering a stream's terminal event, the
 * thread that cancelled, or the gateway's executor when a timer ended the call (never the
 * gateway's timer thread). Must be thread-safe: an inline sink is called by many threads at once,
 * and a sink registered with several gateways by each one's delivery thread.
 *
 * <p><b>At least once, idempotent by call id.</b> Each call produces its record exactly once, but
 * an asynchronous sink may receive it more than once: a batch that failed or timed out is sent
 * again whole, and a dead-letter file replayed later may hold records the sink had taken. Treat
 * {@link UsageRecord#callId()} as the record's key (a primary key, an upsert, a de-duplicating
 * set) so that a repeat changes nothing.
 *
 * <p>A sink that throws cannot break a call: an inline sink's exception is caught and logged; an
 * asynchronous sink's batch is retried with backoff and then written to its dead-letter file (or
 * counted as dropped when it has none).
 */
@FunctionalInterface
public interface UsageSink {

  /**
   * Takes a record.
   *
   * @throws RuntimeException when the record could not be taken (it is then retried or dead-
   *     lettered when the sink is asynchronous, logged when inline)
   */
  void accept(UsageRecord record);

  /**
   * Takes a batch of records, in the order the calls ended, all or nothing: a sink that throws
   * gets the whole batch again (so one that took part of it sees those records twice). Called by
   * an asynchronous sink's delivery thread; the default calls {@link #accept} for each record.
   * Override it to write a batch at once (one flush, one database round trip).
   *
   * @throws RuntimeException when the batch could not be taken
   */
  default void acceptBatch(List<UsageRecord> records) {
    for (UsageRecord record : records) {
      accept(record);
    }
  }

  /**
   * Takes a feedback score given to a past call ({@code Gateway.feedback}), on the thread that
   * gave it; ignored unless the sink stores feedback.
   */
  default void acceptFeedback(FeedbackRecord feedback) {}
}
