/**
 * The provider conformance suite ({@link
 * dev.llmgateway.testing.conformance.ProviderConformanceTest}) run for every transport and preset,
 * each against the wire-level mock of its format.
 */
@NullMarked
package dev.llmgateway.it.conformance;

import org.jspecify.annotations.NullMarked;
