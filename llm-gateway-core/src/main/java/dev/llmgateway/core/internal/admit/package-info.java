/**
 * Step: admit, after access and before the user's {@code BEFORE_ROUTING} interceptors. Rate
 * limits: takes each call's requests, estimated tokens and concurrency slots from the {@link
 * dev.llmgateway.core.limit.LimitStore} or refuses it naming the limit; counts each attempt against
 * the deployment limits through the call's {@link dev.llmgateway.core.internal.call.AttemptGate};
 * settles tokens and releases slots when the call ends ({@link
 * dev.llmgateway.core.internal.call.CallEnd}).
 */
@NullMarked
package dev.llmgateway.core.internal.admit;

import org.jspecify.annotations.NullMarked;
