/** Audit events' built-in sink: {@link dev.llmgateway.core.audit.Slf4jAuditSink}. */
@NullMarked
package dev.llmgateway.core.audit;

import org.jspecify.annotations.NullMarked;
