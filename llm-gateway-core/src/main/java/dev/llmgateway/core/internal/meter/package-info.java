/**
 * Step: metering, outermost of the chain: the story of every call and its one usage record.
 */
@NullMarked
package dev.llmgateway.core.internal.meter;

import org.jspecify.annotations.NullMarked;
