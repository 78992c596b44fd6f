package dev.llmgateway.core.internal.cache;

import dev.llmgateway.RoutingDecision;

/**
 * What the cache step did for a call that it answered or held (the call's slot of this type):
 * whether the answer came from the cache, and the decision trail that says so.
 *
 * @param hit whether the cache (or an identical call in flight) answered the call
 * @param decision the decision trail ending in the cache step
 */
public record CacheOutcome(boolean hit, RoutingDecision decision) {}
