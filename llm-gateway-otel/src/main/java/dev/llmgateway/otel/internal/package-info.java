/** The listener behind {@code GenAiTelemetry}: its per-call state, bounded values, content. */
@NullMarked
package dev.llmgateway.otel.internal;

import org.jspecify.annotations.NullMarked;
