package dev.llmgateway.providers.anthropic.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The response shapes of the Messages API, as far as the gateway reads them. Each record ignores
 * unknown fields itself, so Jackson skips them without buffering.
 */
public final class AnthropicDtos {
  private AnthropicDtos() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record MessageDto(@Nullable String id, @Nullable String model,
      @Nullable List<Block> content,
      @JsonProperty("stop_reason") @Nullable String stopReason,
      @JsonProperty("stop_sequence") @Nullable String stopSequence,
      @Nullable UsageDto usage) {}

  /** A content block of any type: only the fields of its type are set. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Block(@Nullable String type, @Nullable String text, @Nullable String thinking,
      @Nullable String signature, @Nullable String data, @Nullable String id,
      @Nullable String name, @Nullable JsonNode input) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record UsageDto(
      @JsonProperty("input_tokens") @Nullable Long inputTokens,
      @JsonProperty("output_tokens") @Nullable Long outputTokens,
      @JsonProperty("cache_creation_input_tokens") @Nullable Long cacheCreationInputTokens,
      @JsonProperty("cache_read_input_tokens") @Nullable Long cacheReadInputTokens,
      @JsonProperty("cache_creation") @Nullable CacheCreation cacheCreation) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record CacheCreation(
      @JsonProperty("ephemeral_5m_input_tokens") long ephemeral5m,
      @JsonProperty("ephemeral_1h_input_tokens") long ephemeral1h) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorEnvelope(@Nullable String type, @Nullable ErrorDto error,
      @JsonProperty("request_id") @Nullable String requestId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorDto(@Nullable String type, @Nullable String message) {}

  /** One stream event's {@code data}: only the fields of its type are set. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record StreamEvent(@Nullable String type, @Nullable MessageDto message, @Nullable Integer index,
      @JsonProperty("content_block") @Nullable Block contentBlock, @Nullable Delta delta,
      @Nullable UsageDto usage, @Nullable ErrorDto error) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Delta(@Nullable String type, @Nullable String text, @Nullable String thinking,
      @Nullable String signature, @JsonProperty("partial_json") @Nullable String partialJson,
      @JsonProperty("stop_reason") @Nullable String stopReason,
      @JsonProperty("stop_sequence") @Nullable String stopSequence) {}
}
