/**
 * Structured output: a strict JSON schema made from a Java type, and the answer parsed back into
 * that type. Not a step of the request path (it runs before a call and after it, in the caller's
 * code); it imports nothing else under {@code core.internal}, and only {@code
 * core.StructuredOutput} uses it.
 */
@NullMarked
package dev.llmgateway.core.internal.structured;

import org.jspecify.annotations.NullMarked;
