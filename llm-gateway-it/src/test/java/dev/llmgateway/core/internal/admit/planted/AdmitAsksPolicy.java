package dev.llmgateway.core.internal.admit.planted;

import dev.llmgateway.core.internal.policy.planted.PolicyAsksAdmit;

/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: one half of a package cycle, admit
 * -> policy (and {@link PolicyAsksAdmit} back). Test-only.
 */
public final class AdmitAsksPolicy {
  private AdmitAsksPolicy() {}

  /** Takes a policy class, which uses admit back. */
  public static String use(PolicyAsksAdmit policy) {
    return policy.toString();
  }
}
