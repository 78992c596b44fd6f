/**
 * The Google Gemini API (v1beta, {@code generativelanguage.googleapis.com}): {@code
 * generateContent}, {@code streamGenerateContent} and {@code batchEmbedContents}. Start from {@link
 * dev.llmgateway.providers.gemini.GeminiProvider#builder()}.
 */
@NullMarked
package dev.llmgateway.providers.gemini;

import org.jspecify.annotations.NullMarked;
