/**
 * The chaos suite: the real gateway over the real transports over wire-level mock providers that
 * inject seeded random faults, many calls in flight; it checks what callers see and prints the
 * counts of attempts, retries, failovers and hedges.
 */
@NullMarked
package dev.llmgateway.it.chaos;

import org.jspecify.annotations.NullMarked;
