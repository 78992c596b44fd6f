package dev.llmgateway.core.internal.call;

import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.spi.UsageSink;
import java.util.Objects;

/**
 * A usage sink as the builder registered it, with how its records reach it.
 *
 * @param sink the sink
 * @param delivery inline, or through its own queue and thread
 */
public record UsageSinkSetting(UsageSink sink, UsageDelivery delivery) {
  /** Validates. */
  public UsageSinkSetting {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(delivery, "delivery");
  }
}
