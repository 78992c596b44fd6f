/**
 * Part of the metering step: how its records reach the sinks — inline, or per sink through a
 * bounded queue, a delivery thread, Failsafe retries and a dead-letter file ({@link
 * dev.llmgateway.core.internal.meter.delivery.UsageDeliveries}).
 */
@NullMarked
package dev.llmgateway.core.internal.meter.delivery;

import org.jspecify.annotations.NullMarked;
