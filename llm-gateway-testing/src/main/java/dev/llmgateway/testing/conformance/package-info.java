/**
 * The provider conformance suite: {@link
 * dev.llmgateway.testing.conformance.ProviderConformanceTest}, an abstract JUnit 5 class that every
 * transport (ours and third parties') extends to show it
 * speaks its wire format and fails the way the gateway expects, against a wire-level mock server.
 */
@NullMarked
package dev.llmgateway.testing.conformance;

import org.jspecify.annotations.NullMarked;
