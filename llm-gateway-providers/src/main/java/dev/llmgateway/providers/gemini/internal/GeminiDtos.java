package dev.llmgateway.providers.gemini.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The response shapes of the Gemini API (v1beta), as far as the gateway reads them. Each record
 * ignores unknown fields itself, so Jackson skips them without buffering.
 */
public final class GeminiDtos {
  private GeminiDtos() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Response(@Nullable List<Candidate> candidates, @Nullable PromptFeedback promptFeedback,
      @Nullable UsageMetadata usageMetadata, @Nullable String modelVersion,
      @Nullable String responseId, @Nullable ErrorDto error) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Candidate(@Nullable Content content, @Nullable String finishReason,
      @Nullable Integer index) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Content(@Nullable List<Part> parts, @Nullable String role) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Part(@Nullable String text, boolean thought, @Nullable String thoughtSignature,
      @Nullable FunctionCall functionCall) {}

  /**
   * A call, or one part of a call whose arguments are streamed: {@code partialArgs} and {@code
   * willContinue} are Vertex AI's (see {@link GeminiCallAssembly}).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record FunctionCall(@Nullable String id, @Nullable String name, @Nullable JsonNode args,
      @Nullable List<PartialArg> partialArgs, boolean willContinue) {}

  /** One streamed piece of a call's arguments: a value at a JSON path. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record PartialArg(@Nullable String jsonPath, @Nullable JsonNode numberValue,
      @Nullable String stringValue, @Nullable Boolean boolValue, @Nullable String nullValue,
      boolean willContinue) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PromptFeedback(@Nullable String blockReason) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record UsageMetadata(long promptTokenCount, long candidatesTokenCount,
      long cachedContentTokenCount, long thoughtsTokenCount, long toolUsePromptTokenCount,
      long totalTokenCount) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorEnvelope(@Nullable ErrorDto error) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorDto(@Nullable Integer code, @Nullable String message, @Nullable String status,
      @Nullable List<Detail> details) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Detail(@JsonProperty("@type") @Nullable String type, @Nullable String retryDelay,
      @Nullable String reason, @Nullable List<Violation> violations) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Violation(@Nullable String quotaId, @Nullable String quotaMetric) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record BatchEmbeddings(@Nullable List<Embedding> embeddings,
      @Nullable UsageMetadata usageMetadata) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Embedding(float @Nullable [] values) {}
}
