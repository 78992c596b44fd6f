/**
 * Plumbing the project's own modules share and users should not depend on (OkHttp's {@code
 * okhttp3.internal} pattern): the demand-aware {@link dev.llmgateway.internal.PullPublisher}, the
 * {@link dev.llmgateway.internal.TimerWheel} the gateway and the transports share, and the demand
 * arithmetic of {@link dev.llmgateway.internal.Demand}. JDK-only; no compatibility promise; kept
 * out of the javadoc, and the architecture rules admit it only for classes of the project's own
 * modules.
 */
@NullMarked
package dev.llmgateway.internal;

import org.jspecify.annotations.NullMarked;
