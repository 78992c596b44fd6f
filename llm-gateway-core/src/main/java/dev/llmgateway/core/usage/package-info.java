/**
 * Usage records after the call: how they reach their sinks ({@link
 * dev.llmgateway.core.usage.UsageDelivery}: inline, or through a bounded queue and a delivery
 * thread per sink, with retries and a dead-letter file), their JSON Lines form ({@link
 * dev.llmgateway.core.usage.UsageRecordJson}), and the built-in sinks: {@link
 * dev.llmgateway.core.usage.JsonLinesUsageSink}, {@link dev.llmgateway.core.usage.Slf4jUsageSink},
 * {@link dev.llmgateway.core.usage.UsageAggregates} and {@link
 * dev.llmgateway.core.usage.JdbcUsageSink} (PostgreSQL).
 */
@NullMarked
package dev.llmgateway.core.usage;

import org.jspecify.annotations.NullMarked;
