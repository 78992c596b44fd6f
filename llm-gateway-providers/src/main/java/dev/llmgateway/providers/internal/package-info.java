/** What the transports share: SSE, HTTP error helpers, JSON setup. Not public API. */
@NullMarked
package dev.llmgateway.providers.internal;

import org.jspecify.annotations.NullMarked;
