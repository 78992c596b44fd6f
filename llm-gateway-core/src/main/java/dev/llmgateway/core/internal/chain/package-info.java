/**
 * The chain's assembly: {@link dev.llmgateway.core.internal.chain.RealGateway} puts the steps in
 * order once, at build; {@link dev.llmgateway.core.internal.call.RealChain} walks them per call.
 * The one package (with {@code meter}) that sees every step.
 */
@NullMarked
package dev.llmgateway.core.internal.chain;

import org.jspecify.annotations.NullMarked;
