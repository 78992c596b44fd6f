package dev.llmgateway.spi;

/**
 * What a deployment can do. Routing skips deployments that cannot serve a request, and transports
 * reject requests their model cannot serve with an {@link
 * dev.llmgateway.UnsupportedCapabilityException} before sending anything; both decide by the one
 * rule in {@link RequestNeeds}. Immutable and thread-safe.
 *
 * @param chat unary chat
 * @param streaming streamed chat
 * @param tools tool calling
 * @param vision image input
 * @param documents document (PDF) input
 * @param jsonSchema structured output following a JSON schema
 * @param reasoning reasoning settings (effort or budget)
 * @param embeddings embeddings
 * @param contextWindow the context window in tokens (input plus output), 0 when unknown
 * @param maxOutputTokens the most output tokens, 0 when unknown
 */
public record ModelCapabilities(
    boolean chat,
    boolean streaming,
    boolean tools,
    boolean vision,
    boolean documents,
    boolean jsonSchema,
    boolean reasoning,
    boolean embeddings,
    int contextWindow,
    int maxOutputTokens) {

  /** Chat, streaming, tools, vision, documents, JSON schema and reasoning; no embeddings. */
  public static final ModelCapabilities CHAT_ALL =
      new ModelCapabilities(true, true, true, true, true, true, true, false, 0, 0);

  /**
   * Everything: chat, streaming, tools, vision, documents, JSON schema, reasoning and embeddings.
   * What the built-in transports assume of a model nothing is known of (no capabilities configured
   * for it, none its preset documents): a model is never judged by its name, the request goes to
   * the provider and the provider answers what the model cannot do.
   */
  public static final ModelCapabilities ALL =
      new ModelCapabilities(true, true, true, true, true, true, true, true, 0, 0);

  /** Embeddings only. */
  public static final ModelCapabilities EMBEDDINGS_ONLY =
      new ModelCapabilities(false, false, false, false, false, false, false, true, 0, 0);

  /** Validates. */
  public ModelCapabilities {
    if (contextWindow < 0 || maxOutputTokens < 0) {
      throw new IllegalArgumentException("token limits must be >= 0");
    }
  }

  /** These capabilities with embeddings on or off. */
  public ModelCapabilities withEmbeddings(boolean embeddings) {
    return new ModelCapabilities(chat, streaming, tools, vision, documents, jsonSchema, reasoning,
        embeddings, contextWindow, maxOutputTokens);
  }

  /** These capabilities with token limits. */
  public ModelCapabilities withLimits(int contextWindow, int maxOutputTokens) {
    return new ModelCapabilities(chat, streaming, tools, vision, documents, jsonSchema, reasoning,
        embeddings, contextWindow, maxOutputTokens);
  }
}
