/**
 * Extension points: {@link dev.llmgateway.spi.Provider}, {@link dev.llmgateway.spi.Interceptor},
 * {@link dev.llmgateway.spi.GatewayListener}, {@link dev.llmgateway.spi.UsageSink}, {@link
 * dev.llmgateway.spi.Authenticator}, what a model can serve ({@link
 * dev.llmgateway.spi.ModelCapabilities}) and what a request needs of it ({@link
 * dev.llmgateway.spi.RequestNeeds}), and the per-call and per-attempt contexts the chain hands
 * to them.
 */
@NullMarked
package dev.llmgateway.spi;

import org.jspecify.annotations.NullMarked;
