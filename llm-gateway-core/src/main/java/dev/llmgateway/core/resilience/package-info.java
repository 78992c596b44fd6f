/**
 * Resilience settings: retries, hedging, circuit breakers, per-deployment overrides, what follows
 * each class of failure, and the health snapshot of every deployment.
 */
@NullMarked
package dev.llmgateway.core.resilience;

import org.jspecify.annotations.NullMarked;
