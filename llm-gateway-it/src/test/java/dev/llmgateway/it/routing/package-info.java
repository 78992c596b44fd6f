/**
 * Routing end to end: the real gateway over {@code FakeProvider}s, from aliases, content rules,
 * capability filters, strategies and A/B splits to the decision trail and the cost of each call.
 */
@NullMarked
package dev.llmgateway.it.routing;

import org.jspecify.annotations.NullMarked;
