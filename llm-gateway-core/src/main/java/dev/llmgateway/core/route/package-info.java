/**
 * Routing: aliases and their {@link dev.llmgateway.core.route.Route}s (candidates ordered by a
 * {@link dev.llmgateway.core.route.Router}, sticky A/B splits, rules over the request), the
 * {@link dev.llmgateway.core.route.Downgrade} a budget step sets, and per-variant figures.
 */
@NullMarked
package dev.llmgateway.core.route;

import org.jspecify.annotations.NullMarked;
