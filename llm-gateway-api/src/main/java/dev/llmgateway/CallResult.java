package dev.llmgateway;

/**
 * What the interceptor chain returns: a {@link ChatResponse} for chat calls, a {@link ChatStream}
 * for streaming calls, an {@link EmbeddingResponse} for embedding calls. An interceptor may also
 * answer a streaming call with a {@link ChatResponse} (a cache hit, say); the gateway turns it into
 * a stream for the caller.
 */
public interface CallResult {}
