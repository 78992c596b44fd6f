/**
 * Input and output policies: the policy sets a gateway applies per team or alias (PII redaction, prompt-injection scan, content filter, request transformation, output checks), enforced or in monitor-only mode.
 */
@NullMarked
package dev.llmgateway.core.policy;

import org.jspecify.annotations.NullMarked;
