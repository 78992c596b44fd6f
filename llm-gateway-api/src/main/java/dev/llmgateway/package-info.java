/**
 * The public vocabulary of llm-gateway: chat and embedding requests and responses, messages and
 * content parts, tools, usage, stream events, callers, usage records and the {@link
 * dev.llmgateway.GatewayException} tree.
 *
 * <p>Every type here is immutable and thread-safe unless its javadoc says otherwise. JSON that
 * passes through (tool arguments, JSON schemas, provider extras) is carried as raw JSON text:
 * this module depends on no JSON library.
 */
@NullMarked
package dev.llmgateway;

import org.jspecify.annotations.NullMarked;
