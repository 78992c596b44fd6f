/**
 * Step: input policy, after access and before admission, and the output policies on the way back: redaction with reversible placeholders (restored in unary, streamed and tool-call answers), injection scan, content filter, request transformation, schema checks.
 */
@NullMarked
package dev.llmgateway.core.internal.policy;

import org.jspecify.annotations.NullMarked;
