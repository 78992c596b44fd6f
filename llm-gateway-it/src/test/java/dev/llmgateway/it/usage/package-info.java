/**
 * Usage sinks and delivery against real parts: {@link dev.llmgateway.it.usage.JdbcUsageSinkTest}
 * on a PostgreSQL started by {@link dev.llmgateway.it.usage.LocalPostgres}; delivery under load
 * through a real gateway over the fake provider, with sinks that fail.
 */
@NullMarked
package dev.llmgateway.it.usage;

import org.jspecify.annotations.NullMarked;
