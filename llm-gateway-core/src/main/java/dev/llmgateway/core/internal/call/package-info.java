/**
 * What every step shares and no step owns: the {@link dev.llmgateway.core.internal.call.Call} with
 * its typed slots, the {@link dev.llmgateway.core.internal.call.Plan} handed from plan to execute,
 * the gateway's settings, timers, guards and the stream-stage base. Imports no step.
 */
@NullMarked
package dev.llmgateway.core.internal.call;

import org.jspecify.annotations.NullMarked;
