package dev.llmgateway.spi;

import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.UsageRecord;
import java.util.List;

/**
 * Receives one {@link UsageRecord} per call (billing, quotas, audit). Called on the thread that
 * ends the call, as {@link GatewayListener#onCallEnd} is — the caller's thread for a unary call
 * (after its answer is decided, before {@code chat} returns), the thread delivering a stream's
 * terminal event, the thread that cancelled, or the gateway's executor when a timer ended the call
 * (never the gateway's timer thread, so a slow sink delays no other call's timeout). Must be
 * thread-safe and should hand slow work off. A sink that throws cannot break a call: the exception
 * is caught and logged.
 */
@FunctionalInterface
public interface UsageSink {

  /** Takes a record. */
  void accept(UsageRecord record);

  /**
   * Takes several records at once: called on an asynchronous sink's delivery thread; the default
   * calls accept for each record.
   */
  default void acceptBatch(List<UsageRecord> records) {
    for (UsageRecord r : records) {
      accept(r);
    }
  }

  /**
   * Takes a feedback score given to a past call ({@code Gateway.feedback}), on the thread that
   * gave it; ignored unless the sink stores feedback.
   */
  default void acceptFeedback(FeedbackRecord feedback) {}
}
