/**
 * Rate limits: requests and tokens per sliding window and concurrent calls, per {@link
 * dev.llmgateway.core.limit.Scope}, behind a store SPI that a shared store (Redis) implements.
 */
@NullMarked
package dev.llmgateway.core.limit;

import org.jspecify.annotations.NullMarked;
