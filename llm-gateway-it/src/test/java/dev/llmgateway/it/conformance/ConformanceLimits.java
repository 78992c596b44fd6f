package dev.llmgateway.it.conformance;

import dev.llmgateway.providers.HttpProviderBuilder;
import dev.llmgateway.testing.conformance.ProviderConformanceTest;

/** The conformance suite's read limits set on one of this project's transport builders. */
final class ConformanceLimits {
  private ConformanceLimits() {}

  /** The builder reading no more than the limits allow. */
  static <B extends HttpProviderBuilder<B>> B limited(B builder,
      ProviderConformanceTest.Limits limits) {
    return builder.maxResponseBytes(limits.maxResponseBytes())
        .maxErrorBodyBytes(limits.maxErrorBodyBytes())
        .maxSseEventBytes(limits.maxSseEventBytes())
        .maxToolCalls(limits.maxToolCalls());
  }
}
