/** Usage sinks that store or forward usage records, e.g. {@link JdbcUsageSink}. */
@NullMarked
package dev.llmgateway.core.usage;

import org.jspecify.annotations.NullMarked;
