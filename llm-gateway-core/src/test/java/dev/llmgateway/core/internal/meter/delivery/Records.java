package dev.llmgateway.core.internal.meter.delivery;

import dev.llmgateway.CallKind;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The smallest usage record the delivery tests hand over: only its call id matters to them. */
final class Records {

  private Records() {}

  static UsageRecord record(String callId) {
    return new UsageRecord(callId, Instant.EPOCH, CallKind.CHAT, null, "m", null, null,
        List.of(), Usage.ZERO, null, Duration.ZERO, null, UsageRecord.Outcome.SUCCEEDED, null,
        Set.of(), false, null);
  }
}
