/** Usage delivery under load: a real gateway over the fake provider, sinks that fail. */
@NullMarked
package dev.llmgateway.it.usage;

import org.jspecify.annotations.NullMarked;
