package dev.llmgateway.providers.internal;

import java.util.Locale;

/**
 * Which service a transport speaks to, by its wire format and its base URL's host, in the
 * vocabulary of the OpenTelemetry GenAI semantic conventions' {@code gen_ai.provider.name}
 * (release 1.41.0, docs/registry/attributes/gen-ai.md of open-telemetry/semantic-conventions).
 * A host that is no known vendor's keeps its format's own name: an OpenAI-compatible server
 * speaks OpenAI's API, which is what the attribute tells apart.
 */
public final class Vendors {
  /** OpenAI, and any server speaking its API under no other known host. */
  public static final String OPENAI = "openai";
  /** Azure OpenAI: its deployment URLs, or a host under {@code openai.azure.com}. */
  public static final String AZURE_OPENAI = "azure.ai.openai";
  /** Anthropic's Messages API. */
  public static final String ANTHROPIC = "anthropic";
  /** Gemini's API on {@code generativelanguage.googleapis.com} (AI Studio). */
  public static final String GEMINI = "gcp.gemini";
  /** Gemini on Vertex AI ({@code aiplatform.googleapis.com}). */
  public static final String VERTEX_AI = "gcp.vertex_ai";

  private Vendors() {}

  /** The vendor of an OpenAI-format endpoint at {@code host}. */
  public static String openAi(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".openai.azure.com") || h.endsWith(".cognitiveservices.azure.com")) {
      return AZURE_OPENAI;
    }
    if (h.endsWith(".services.ai.azure.com") || h.endsWith(".models.ai.azure.com")) {
      return "azure.ai.inference";
    }
    if (is(h, "api.groq.com")) {
      return "groq";
    }
    if (is(h, "api.mistral.ai")) {
      return "mistral_ai";
    }
    if (is(h, "api.deepseek.com")) {
      return "deepseek";
    }
    if (is(h, "api.x.ai")) {
      return "x_ai";
    }
    if (is(h, "api.perplexity.ai")) {
      return "perplexity";
    }
    if (h.endsWith("aiplatform.googleapis.com")) {
      return VERTEX_AI;
    }
    if (is(h, "generativelanguage.googleapis.com")) {
      return GEMINI;
    }
    return OPENAI;
  }

  /** The vendor of a Gemini-format endpoint at {@code host}. */
  public static String gemini(String host) {
    return host.toLowerCase(Locale.ROOT).endsWith("aiplatform.googleapis.com") ? VERTEX_AI : GEMINI;
  }

  private static boolean is(String host, String known) {
    return host.equals(known);
  }
}
