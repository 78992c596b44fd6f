package dev.llmgateway.spi;

import dev.llmgateway.UsageRecord;

/**
 * Receives one {@link UsageRecord} per call (billing, quotas, audit). Called on the thread that
 * ends the call; must be thread-safe and should hand slow work off. A sink that throws cannot break
 * a call: the exception is caught and logged.
 */
@FunctionalInterface
public interface UsageSink {

  /** Takes a record. */
  void accept(UsageRecord record);
}
