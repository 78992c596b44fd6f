package dev.llmgateway.core.internal.policy;

import dev.llmgateway.core.policy.StructuredOutputCheck;

/**
 * What the policy step leaves for {@link StructuredOutputStep}: the call's policy and whether a
 * miss is retried once or refused. The call's slot of this type.
 *
 * @param policy the call's policy (for its verdicts and refusal)
 * @param check the check
 */
record StructuredCheck(CallPolicy policy, StructuredOutputCheck check) {}
