package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The response shapes of the Chat Completions, Embeddings and Moderations APIs, as far as the gateway reads
 * them. Each record ignores unknown fields itself, so Jackson skips them without buffering.
 */
public final class OpenAiDtos {
  private OpenAiDtos() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Completion(@Nullable String id, @Nullable String model, @Nullable List<Choice> choices,
      @Nullable UsageDto usage) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Choice(int index, @Nullable MessageDto message,
      @JsonProperty("finish_reason") @Nullable String finishReason) {}

  /** An answer's message; its {@code role} (always {@code assistant}) is not read into a string. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record MessageDto(@Nullable String content, @Nullable String refusal,
      @JsonProperty("tool_calls") @Nullable List<ToolCallDto> toolCalls,
      @JsonProperty("reasoning_content") @Nullable String reasoningContent,
      @Nullable String reasoning) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ToolCallDto(@Nullable Integer index, @Nullable String id, @Nullable String type,
      @Nullable FunctionDto function) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record FunctionDto(@Nullable String name, @Nullable String arguments) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record UsageDto(@JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("completion_tokens") long completionTokens,
      @JsonProperty("total_tokens") @Nullable Long totalTokens,
      @JsonProperty("prompt_tokens_details") @Nullable PromptDetails promptDetails,
      @JsonProperty("completion_tokens_details") @Nullable CompletionDetails completionDetails) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PromptDetails(@JsonProperty("cached_tokens") long cachedTokens,
      @JsonProperty("cache_write_tokens") long cacheWriteTokens) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record CompletionDetails(@JsonProperty("reasoning_tokens") long reasoningTokens) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Chunk(@Nullable String id, @Nullable String model, @Nullable List<ChunkChoice> choices,
      @Nullable UsageDto usage, @Nullable ErrorDto error) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ChunkChoice(int index, @Nullable MessageDto delta,
      @JsonProperty("finish_reason") @Nullable String finishReason) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorEnvelope(@Nullable ErrorDto error, @Nullable String message,
      @Nullable Object detail) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorDto(@Nullable String message, @Nullable String type, @Nullable String param,
      @Nullable Object code, @Nullable InnerError innererror,
      @JsonProperty("status_code") @Nullable Integer statusCode, @Nullable Object status) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record InnerError(@Nullable String code) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Embeddings(@Nullable List<EmbeddingItem> data, @Nullable String model,
      @Nullable UsageDto usage) {}

  /** One vector: a JSON array of numbers or a base64 string (see {@link EmbeddingVector}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record EmbeddingItem(int index,
      @JsonDeserialize(using = EmbeddingVector.class) float @Nullable [] embedding) {}

  /**
   * A moderation answer (https://platform.openai.com/docs/api-reference/moderations/object): one
   * result per input; {@code category_applied_input_types} is not read.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Moderations(@Nullable String id, @Nullable String model,
      @Nullable List<ModerationItem> results) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ModerationItem(@Nullable Boolean flagged, @Nullable Map<String, Boolean> categories,
      @JsonProperty("category_scores") @Nullable Map<String, Double> categoryScores) {}
}
