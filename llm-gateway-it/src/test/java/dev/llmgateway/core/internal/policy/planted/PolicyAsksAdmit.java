package dev.llmgateway.core.internal.policy.planted;

import dev.llmgateway.core.internal.admit.planted.AdmitAsksPolicy;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: the other half of a package cycle,
 * policy -> admit (and {@link AdmitAsksPolicy} back). Test-only.
 */
public final class PolicyAsksAdmit {
  private PolicyAsksAdmit() {}

  /** Takes an admit class, which uses policy back. */
  public static String use(AdmitAsksPolicy admit) {
    return admit.toString();
  }
}
