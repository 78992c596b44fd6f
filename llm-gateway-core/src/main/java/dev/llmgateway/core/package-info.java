/**
 * The gateway: {@link dev.llmgateway.core.Gateway}, its {@link dev.llmgateway.core.GatewayBuilder},
 * aliases ({@link dev.llmgateway.core.route.Route}) and the positions where your own interceptors go.
 * Implementation lives in {@code dev.llmgateway.core.internal}, which is not public API.
 */
@NullMarked
package dev.llmgateway.core;

import org.jspecify.annotations.NullMarked;
