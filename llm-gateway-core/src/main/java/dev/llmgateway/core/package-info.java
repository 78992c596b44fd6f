/**
 * The gateway: {@link dev.llmgateway.core.Gateway}, its {@link dev.llmgateway.core.GatewayBuilder}
 * and the positions where your own interceptors go; routing in {@code core.route}, resilience
 * settings in {@code core.resilience}, prices in {@code core.cost}, the response cache in {@code
 * core.cache}, structured output to Java types in {@link dev.llmgateway.core.StructuredOutput}.
 * Implementation lives in {@code dev.llmgateway.core.internal}, one package per step
 * of the request path, which is not public API.
 */
@NullMarked
package dev.llmgateway.core;

import org.jspecify.annotations.NullMarked;
