/**
 * OpenTelemetry spans and metrics after the GenAI semantic conventions, as a {@link
 * dev.llmgateway.spi.GatewayListener}. Only the package skeleton exists so far: its issue brings
 * the listener.
 */
@NullMarked
package dev.llmgateway.otel;

import org.jspecify.annotations.NullMarked;
