/**
 * Step: the exact-match response cache, between select and plan.
 */
@NullMarked
package dev.llmgateway.core.internal.cache;

import org.jspecify.annotations.NullMarked;
