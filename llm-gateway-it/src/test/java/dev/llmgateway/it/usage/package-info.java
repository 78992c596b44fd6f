/**
 * Usage sinks against real servers: {@link dev.llmgateway.it.usage.JdbcUsageSinkTest} on a
 * PostgreSQL started by {@link dev.llmgateway.it.usage.LocalPostgres}.
 */
@NullMarked
package dev.llmgateway.it.usage;

import org.jspecify.annotations.NullMarked;
