/**
 * Provider transports, one package per wire format ({@code openai}, {@code anthropic}, {@code
 * gemini}), each speaking its provider's own HTTP API over OkHttp with Jackson. The transports
 * arrive with their issues; this package holds what they share.
 */
@NullMarked
package dev.llmgateway.providers;

import org.jspecify.annotations.NullMarked;
