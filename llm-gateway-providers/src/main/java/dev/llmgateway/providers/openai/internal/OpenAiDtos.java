package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The response shapes of the Chat Completions and Embeddings APIs, as far as the gateway reads them. */
final class OpenAiDtos {
  private OpenAiDtos() {}

  record Completion(@Nullable String id, @Nullable String model, @Nullable List<Choice> choices,
      @Nullable UsageDto usage) {}

  record Choice(int index, @Nullable MessageDto message,
      @JsonProperty("finish_reason") @Nullable String finishReason) {}

  record MessageDto(@Nullable String role, @Nullable String content, @Nullable String refusal,
      @JsonProperty("tool_calls") @Nullable List<ToolCallDto> toolCalls,
      @JsonProperty("reasoning_content") @Nullable String reasoningContent,
      @Nullable String reasoning) {}

  record ToolCallDto(@Nullable Integer index, @Nullable String id, @Nullable String type,
      @Nullable FunctionDto function) {}

  record FunctionDto(@Nullable String name, @Nullable String arguments) {}

  record UsageDto(@JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("completion_tokens") long completionTokens,
      @JsonProperty("prompt_tokens_details") @Nullable PromptDetails promptDetails,
      @JsonProperty("completion_tokens_details") @Nullable CompletionDetails completionDetails) {}

  record PromptDetails(@JsonProperty("cached_tokens") long cachedTokens,
      @JsonProperty("cache_write_tokens") long cacheWriteTokens) {}

  record CompletionDetails(@JsonProperty("reasoning_tokens") long reasoningTokens) {}

  record Chunk(@Nullable String id, @Nullable String model, @Nullable List<ChunkChoice> choices,
      @Nullable UsageDto usage, @Nullable ErrorDto error) {}

  record ChunkChoice(int index, @Nullable MessageDto delta,
      @JsonProperty("finish_reason") @Nullable String finishReason) {}

  record ErrorEnvelope(@Nullable ErrorDto error, @Nullable String message,
      @Nullable Object detail) {}

  record ErrorDto(@Nullable String message, @Nullable String type, @Nullable String param,
      @Nullable Object code, @Nullable InnerError innererror) {}

  record InnerError(@Nullable String code) {}

  record Embeddings(@Nullable List<EmbeddingItem> data, @Nullable String model,
      @Nullable UsageDto usage) {}

  record EmbeddingItem(int index, float @Nullable [] embedding) {}
}
