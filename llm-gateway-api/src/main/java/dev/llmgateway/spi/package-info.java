/**
 * Extension points and the JDK-only stream plumbing shared by core, transports and test doubles:
 * {@link dev.llmgateway.spi.Provider}, {@link dev.llmgateway.spi.Interceptor}, {@link
 * dev.llmgateway.spi.GatewayListener}, {@link dev.llmgateway.spi.UsageSink}, {@link
 * dev.llmgateway.spi.Authenticator}, the demand-aware {@link dev.llmgateway.spi.PullPublisher},
 * the blocking {@link dev.llmgateway.spi.StreamIterator} (which reads a pull publisher's source on
 * its own thread) and the shared {@link dev.llmgateway.spi.TimerWheel} for per-call deadlines.
 */
@NullMarked
package dev.llmgateway.spi;

import org.jspecify.annotations.NullMarked;
