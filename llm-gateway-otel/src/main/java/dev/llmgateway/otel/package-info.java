/**
 * OpenTelemetry spans and metrics after the GenAI semantic conventions, as a {@link
 * dev.llmgateway.spi.GatewayListener}: {@link dev.llmgateway.otel.GenAiTelemetry} makes it, {@link
 * dev.llmgateway.otel.GenAiConventions} names everything it writes.
 */
@NullMarked
package dev.llmgateway.otel;

import org.jspecify.annotations.NullMarked;
