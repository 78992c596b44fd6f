/**
 * The policy evaluation tool: {@code pii|injection IN.jsonl OUT.jsonl} runs the gateway's PII
 * detection or prompt-injection scan over a JSON Lines corpus; scoring compares the output with
 * labels.
 */
@NullMarked
package dev.llmgateway.eval;

import org.jspecify.annotations.NullMarked;
