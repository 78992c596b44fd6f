/**
 * Extension points and the JDK-only stream plumbing shared by core, transports and test doubles:
 * {@link dev.llmgateway.spi.Provider}, {@link dev.llmgateway.spi.Interceptor}, {@link
 * dev.llmgateway.spi.GatewayListener}, {@link dev.llmgateway.spi.UsageSink}, {@link
 * dev.llmgateway.spi.Authenticator}, the demand-aware {@link dev.llmgateway.spi.PullPublisher} and
 * the blocking {@link dev.llmgateway.spi.StreamIterator}.
 */
@NullMarked
package dev.llmgateway.spi;

import org.jspecify.annotations.NullMarked;
