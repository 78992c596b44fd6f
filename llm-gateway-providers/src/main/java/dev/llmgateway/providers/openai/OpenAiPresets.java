package dev.llmgateway.providers.openai;

import dev.llmgateway.providers.openai.internal.OpenAiErrors;
import java.util.Map;

/**
 * OpenAI-compatible endpoints as a few lines of configuration over {@link OpenAiProvider}: each
 * preset sets the name, base URL, auth header and the request fields the endpoint knows; add the
 * key (and for local servers, the URL) and build. Every setting can still be changed on the
 * returned builder.
 *
 * <p>A hosted preset given no key reads its conventional environment variable, as the vendors'
 * SDKs do, and {@code build()} fails naming it when it is unset: {@code OPENAI_API_KEY} ({@link
 * #openAi()}), {@code AZURE_OPENAI_API_KEY} ({@link #azure}, {@link #azureV1}), {@code
 * GROQ_API_KEY}, {@code MISTRAL_API_KEY}, {@code OPENROUTER_API_KEY}, {@code DEEPSEEK_API_KEY},
 * {@code TOGETHER_API_KEY}. The local presets ({@link #ollama()}, {@link #vllm}) read and need
 * none; give them {@code apiKey(...)} when the server is started with one.
 *
 * <pre>{@code
 * Provider azure = OpenAiPresets.azure("https://my-resource.openai.azure.com", "2024-10-21")
 *     .build(); // the key from AZURE_OPENAI_API_KEY
 * Provider local = OpenAiPresets.ollama().build();
 * }</pre>
 */
public final class OpenAiPresets {
  /** The newest GA {@code api-version} of Azure OpenAI's deployment URLs (as of 2026-11). */
  public static final String AZURE_API_VERSION = "2024-10-21";
  /** The variable Azure OpenAI's key is read from, as OpenAI's {@code AzureOpenAI} clients do. */
  private static final String AZURE_KEY = "AZURE_OPENAI_API_KEY";

  private OpenAiPresets() {}

  /**
   * OpenAI itself. It knows OpenAI's documented embedding models ({@code text-embedding-3-small},
   * {@code text-embedding-3-large}, {@code text-embedding-ada-002}) and refuses a chat with them
   * before sending; every other preset knows no model by name, so any model may do anything until
   * configured otherwise ({@code capabilities(model, ...)}) and the endpoint answers what it cannot.
   * It is the only preset that declares moderation ({@link OpenAiProvider#moderation()}).
   */
  public static OpenAiProvider.Builder openAi() {
    return OpenAiProvider.builder();
  }

  /**
   * Azure OpenAI with deployment URLs ({@code {endpoint}/openai/deployments/{deployment}/...
   * ?api-version=}); the model of a request names the deployment. The key goes in an {@code
   * api-key} header; for Entra ID tokens use {@code .credential(...)} with {@code
   * .apiKeyHeader(false)} to send {@code Authorization: Bearer}.
   */
  public static OpenAiProvider.Builder azure(String endpoint, String apiVersion) {
    return OpenAiProvider.builder().name("azure").baseUrl(endpoint).knownModels(Map.of())
        .azureDeployments(apiVersion).apiKeyHeader(true).moderation(false)
        .safetyIdentifier(false).promptCacheKey(false).keyFrom(AZURE_KEY);
  }

  /** Azure OpenAI's versionless v1 API ({@code {endpoint}/openai/v1/...}, model in the body). */
  public static OpenAiProvider.Builder azureV1(String endpoint) {
    return OpenAiProvider.builder().name("azure").baseUrl(trim(endpoint) + "/openai/v1")
        .knownModels(Map.of()).apiKeyHeader(true).moderation(false).safetyIdentifier(false)
        .promptCacheKey(false)
        .endpointHint(OpenAiErrors.AZURE_V1_HINT).keyFrom(AZURE_KEY);
  }

  /** A local Ollama ({@code http://localhost:11434/v1}, no key). */
  public static OpenAiProvider.Builder ollama() {
    return compatible("ollama", "http://localhost:11434/v1");
  }

  /** A vLLM server at the given base URL (e.g. {@code http://localhost:8000/v1}). */
  public static OpenAiProvider.Builder vllm(String baseUrl) {
    return compatible("vllm", baseUrl);
  }

  /** Groq ({@code https://api.groq.com/openai/v1}). */
  public static OpenAiProvider.Builder groq() {
    return OpenAiProvider.builder().name("groq").baseUrl("https://api.groq.com/openai/v1")
        .knownModels(Map.of()).moderation(false).safetyIdentifier(false).promptCacheKey(false)
        .keyFrom("GROQ_API_KEY");
  }

  /**
   * Mistral ({@code https://api.mistral.ai/v1}): {@code max_tokens}, {@code random_seed}, {@code
   * tool_choice: any}, usage always in the last chunk, and none of OpenAI's newer fields (it
   * rejects unknown ones).
   */
  public static OpenAiProvider.Builder mistral() {
    return compatible("mistral", "https://api.mistral.ai/v1").streamUsage(false)
        .seedField("random_seed").requiredToolChoice("any").keyFrom("MISTRAL_API_KEY");
  }

  /** OpenRouter ({@code https://openrouter.ai/api/v1}); its model names contain a slash. */
  public static OpenAiProvider.Builder openRouter() {
    return compatible("openrouter", "https://openrouter.ai/api/v1").keyFrom("OPENROUTER_API_KEY");
  }

  /**
   * DeepSeek ({@code https://api.deepseek.com/v1}); reasoning arrives as {@code reasoning_content}.
   */
  public static OpenAiProvider.Builder deepSeek() {
    return compatible("deepseek", "https://api.deepseek.com/v1").keyFrom("DEEPSEEK_API_KEY");
  }

  /** Together AI ({@code https://api.together.xyz/v1}). */
  public static OpenAiProvider.Builder together() {
    return compatible("together", "https://api.together.xyz/v1").keyFrom("TOGETHER_API_KEY");
  }

  /**
   * An endpoint that knows the classic Chat Completions fields only, is asked for embeddings as
   * {@code float}, the API's default, rather than {@code base64}, and reads no key from the
   * environment (a hosted preset adds its variable).
   */
  private static OpenAiProvider.Builder compatible(String name, String baseUrl) {
    return OpenAiProvider.builder().name(name).baseUrl(baseUrl).knownModels(Map.of())
        .legacyMaxTokens(true).safetyIdentifier(false).promptCacheKey(false)
        .reasoningEffort(false).base64Embeddings(false).moderation(false).keyFrom();
  }

  private static String trim(String endpoint) {
    return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
  }
}
