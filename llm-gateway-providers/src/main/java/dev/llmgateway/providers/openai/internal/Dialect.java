package dev.llmgateway.providers.openai.internal;

import org.jspecify.annotations.Nullable;

/**
 * How one OpenAI-compatible endpoint differs from OpenAI: URL shape, auth header and the request
 * fields it knows.
 *
 * @param azureDeployments the model names an Azure deployment in the path ({@code
 *     /openai/deployments/{model}/...?api-version=}) instead of the body
 * @param apiVersion the {@code api-version} query parameter, or null for none
 * @param apiKeyHeader send the key in an {@code api-key} header instead of {@code Authorization:
 *     Bearer}
 * @param legacyMaxTokens send {@code max_tokens} instead of {@code max_completion_tokens}
 * @param streamUsage ask for usage in the last stream chunk ({@code stream_options.include_usage})
 * @param safetyIdentifier send the hashed end user as {@code safety_identifier}
 * @param promptCacheKey send {@code prompt_cache_key}
 * @param reasoningEffort send {@code reasoning_effort}
 * @param seedField the name of the seed field ({@code seed}; Mistral's is {@code random_seed})
 * @param requiredToolChoice the value meaning "call some tool" ({@code required}; Mistral's is
 *     {@code any})
 */
public record Dialect(
    boolean azureDeployments,
    @Nullable String apiVersion,
    boolean apiKeyHeader,
    boolean legacyMaxTokens,
    boolean streamUsage,
    boolean safetyIdentifier,
    boolean promptCacheKey,
    boolean reasoningEffort,
    String seedField,
    String requiredToolChoice) {

  /** OpenAI itself. */
  public static final Dialect OPENAI =
      new Dialect(false, null, false, false, true, true, true, true, "seed", "required");
}
