/**
 * The OpenAI Chat Completions wire format and every endpoint that speaks it: OpenAI, Azure OpenAI
 * (deployment and v1 URLs), Ollama, vLLM, Groq, Mistral, OpenRouter, DeepSeek, Together. Start from
 * {@link dev.llmgateway.providers.openai.OpenAiProvider#builder()} or a preset in {@link
 * dev.llmgateway.providers.openai.OpenAiPresets}.
 */
@NullMarked
package dev.llmgateway.providers.openai;

import org.jspecify.annotations.NullMarked;
