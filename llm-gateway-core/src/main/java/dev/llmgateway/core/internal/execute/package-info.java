/**
 * Step: execute the plan's attempts, with retries, timeouts, failover and hedging, through the
 * around-attempt interceptors to the transport.
 */
@NullMarked
package dev.llmgateway.core.internal.execute;

import org.jspecify.annotations.NullMarked;
