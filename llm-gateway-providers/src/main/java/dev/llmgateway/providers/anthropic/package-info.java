/**
 * The Anthropic Messages wire format ({@code POST /v1/messages}, unary and streamed). Start from
 * {@link dev.llmgateway.providers.anthropic.AnthropicProvider#builder()}.
 */
@NullMarked
package dev.llmgateway.providers.anthropic;

import org.jspecify.annotations.NullMarked;
