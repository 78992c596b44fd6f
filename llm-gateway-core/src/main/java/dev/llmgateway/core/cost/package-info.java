/**
 * Prices and cost: the bundled price table with cited sources, and exact cost per call.
 */
@NullMarked
package dev.llmgateway.core.cost;

import org.jspecify.annotations.NullMarked;
