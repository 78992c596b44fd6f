package dev.llmgateway.providers.openai;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ModerationRequest;
import dev.llmgateway.ModerationResult;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.providers.Credential;
import dev.llmgateway.providers.HttpProvider;
import dev.llmgateway.providers.HttpProviderBuilder;
import dev.llmgateway.providers.HttpSettings;
import dev.llmgateway.providers.internal.Bounded;
import dev.llmgateway.providers.internal.Dropped;
import dev.llmgateway.providers.internal.Endpoints;
import dev.llmgateway.providers.internal.LastDetails;
import dev.llmgateway.providers.internal.ModelMemo;
import dev.llmgateway.providers.internal.UnaryCall;
import dev.llmgateway.providers.internal.Vendors;
import dev.llmgateway.providers.openai.internal.Dialect;
import dev.llmgateway.providers.openai.internal.OpenAiDecoder;
import dev.llmgateway.providers.openai.internal.OpenAiEncoder;
import dev.llmgateway.providers.openai.internal.OpenAiErrors;
import dev.llmgateway.providers.openai.internal.OpenAiHeaders;
import dev.llmgateway.providers.openai.internal.OpenAiModerations;
import dev.llmgateway.providers.openai.internal.OpenAiStreamSource;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.ModerationProvider;
import dev.llmgateway.spi.RequestNeeds;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Flow;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI Chat Completions transport: {@code POST /chat/completions} (unary and streamed) and
 * {@code POST /embeddings}, for OpenAI and every endpoint that speaks its format (see {@link
 * OpenAiPresets}).
 *
 * <p>What it sends: {@code max_completion_tokens} (or {@code max_tokens} where the endpoint only
 * knows that), {@code reasoning_effort}, {@code response_format} with a strict {@code json_schema},
 * tools and {@code tool_choice}, images by URL or as data URLs, documents as {@code file} parts,
 * {@code seed}, {@code stop}, the caller's hashed end-user id as {@code safety_identifier}, {@code
 * prompt_cache_key}, and on streams {@code stream_options.include_usage}; then the request's extras
 * for this provider's name, which win over any field above. The key is read from the {@link
 * Credential} at send time and appears in request headers only.
 *
 * <p><b>Embeddings</b> are asked for as base64 ({@code encoding_format: "base64"}: each vector's
 * float32 values, little-endian, base64-encoded), as OpenAI's own SDKs ask by default: it is the
 * model's float32 output exactly, in 5.3 characters a value where a JSON number takes 10 to 30
 * (a quarter to a half of the bytes), and needs no decimal parsing. OpenAI and Azure OpenAI document it; the presets for other servers ({@link
 * OpenAiPresets#ollama()}, {@link OpenAiPresets#vllm}, {@link OpenAiPresets#mistral()}, ...) ask for
 * {@code "float"}, the API's documented default, since a server that does not know {@code base64}
 * may refuse it; {@link Builder#base64Embeddings(boolean)} chooses. Whatever was asked, an answer
 * is read in the form it comes in, a JSON array or a base64 string, since some compatible servers
 * ignore {@code encoding_format}.
 *
 * <p>Usage mapping: see {@code OpenAiDecoder} — {@code prompt_tokens} already includes cached
 * tokens; reasoning tokens are counted inside {@code completion_tokens} (OpenAI) or beside it
 * (xAI), which the answer's {@code total_tokens} tells, and output tokens include them either way.
 * Errors map onto the {@link GatewayException} tree; the response's {@code x-request-id} and
 * {@code x-ratelimit-*} headers are kept on the response.
 *
 * <p><b>Moderation</b> ({@link #moderation()}): OpenAI's {@code POST /moderations}
 * (https://platform.openai.com/docs/api-reference/moderations), {@code omni-moderation-latest}
 * unless {@link Builder#moderationModel} or the request says otherwise, with this provider's key,
 * base URL, HTTP client, read limits and error mapping. It is a capability of the host, not of a
 * model: OpenAI itself ({@link #builder()}, {@link OpenAiPresets#openAi()}) declares it; the other
 * presets do not (Azure OpenAI, Groq, Ollama, vLLM, OpenRouter, DeepSeek and Together serve no
 * {@code /moderations}; Mistral's has another answer shape), so their {@code moderation()} throws
 * {@link UnsupportedCapabilityException} naming the provider when a policy is configured, not at
 * its first call. {@link Builder#moderation(boolean)} declares it for a compatible host that
 * serves OpenAI's shape (a proxy in front of OpenAI).
 *
 * <p>Thread-safe. Stream events are read and delivered on this provider's executor (by default a
 * pool of daemon threads it owns and {@link #close() closes}).
 *
 * <p>What this format cannot express is dropped and reported at DEBUG by the logger {@code
 * dev.llmgateway.providers.internal.Dropped}: cache hints (OpenAI caches prefixes itself),
 * reasoning parts (Chat Completions takes none back), and per preset a prompt cache key or
 * reasoning settings (where the endpoint has no {@code reasoning_effort}). What its capabilities
 * say the model cannot do (the one rule of {@link dev.llmgateway.spi.RequestNeeds}: the call kind,
 * tools, images, documents, a JSON schema, reasoning settings) is rejected before sending with an
 * {@link dev.llmgateway.UnsupportedCapabilityException}; whether the request fits the context
 * window is left to the provider, which knows its own token counts. Only what is known of a model
 * refuses early: its capabilities set with {@link Builder#capabilities}, else, for OpenAI itself
 * ({@link #builder()}, {@link OpenAiPresets#openAi()}), OpenAI's documented embedding models
 * ({@code text-embedding-3-small}, {@code text-embedding-3-large}, {@code text-embedding-ada-002}),
 * which can only embed. Any other model is never judged by its name: it may do anything ({@link
 * ModelCapabilities#ALL}, or the builder's {@code defaultCapabilities}), the request goes to the
 * provider, and what the provider refuses comes back as its typed error (a 404 {@link
 * dev.llmgateway.ModelNotFoundException}, a 400 {@link InvalidRequestException}).
 */
public final class OpenAiProvider extends HttpProvider {
  /** OpenAI's documented embedding models, which can only embed (OpenAI itself only). */
  static final Map<String, ModelCapabilities> OPENAI_MODELS = Map.of(
      "text-embedding-3-small", ModelCapabilities.EMBEDDINGS_ONLY,
      "text-embedding-3-large", ModelCapabilities.EMBEDDINGS_ONLY,
      "text-embedding-ada-002", ModelCapabilities.EMBEDDINGS_ONLY);

  /**
   * The wire format's name on the reasoning parts this transport reads ({@link
   * dev.llmgateway.ContentPart.Reasoning#format()}), for every OpenAI-compatible endpoint; Chat
   * Completions takes no reasoning back, so it sends none.
   */
  public static final String FORMAT = "openai";

  /** The last key's {@code Authorization} value; a race makes an equal one twice. */
  private volatile @Nullable Bearer bearer;
  /** What a chat answer may hold, and how an error status is read: made once, not per call. */
  private final Bounded.Body chatBody;
  private final UnaryCall.ErrorMapper errorMapper;
  private final LastDetails lastDetails = new LastDetails();
  private final Dialect dialect;
  private final Map<String, ModelCapabilities> knownModels;
  private final OpenAiEncoder encoder;
  private final Dropped.Support drops;
  private final OpenAiErrors errors;
  private final HttpUrl[] urls;
  private final boolean base64Embeddings;
  private final @Nullable ModerationProvider moderation;
  /** Azure's chat and embeddings URLs per deployment, bounded (callers may send any model). */
  private final ModelMemo<HttpUrl[]> deploymentUrls = new ModelMemo<>(this::azureUrls);

  private OpenAiProvider(Builder b, HttpSettings s) {
    super(s, Map.of());
    this.chatBody = Bounded.Body.chat(readLimits);
    this.errorMapper = this::httpError;
    this.dialect = new Dialect(b.azureDeployments, b.apiVersion, b.apiKeyHeader,
        b.legacyMaxTokens, b.streamUsage, b.safetyIdentifier, b.promptCacheKey,
        b.reasoningEffort, b.seedField, b.requiredToolChoice);
    this.knownModels = b.knownModels;
    this.encoder = new OpenAiEncoder(dialect);
    this.drops = new Dropped.Support(FORMAT, true, dialect.promptCacheKey(), false, false, false,
        true, dialect.reasoningEffort(), false);
    this.errors = new OpenAiErrors(name, s.clock(), s.logProviderErrorBodies(),
        new Endpoints(name, baseUrl, b.endpointHint != null ? b.endpointHint
            : dialect.azureDeployments() ? OpenAiErrors.AZURE_DEPLOYMENTS_HINT
            : OpenAiErrors.endpointHint(baseUrl)));
    this.base64Embeddings = b.base64Embeddings;
    this.urls = new HttpUrl[] {
        url(baseUrl, "chat/completions", null), url(baseUrl, "embeddings", null)};
    this.moderation = b.moderation
        ? new Moderation(url(baseUrl, "moderations", null), b.moderationModel) : null;
  }

  /**
   * A builder for OpenAI itself ({@code https://api.openai.com/v1}). Without {@code apiKey(...)} or
   * {@code credential(...)} it reads {@code OPENAI_API_KEY}, and {@code build()} fails naming it
   * when that is unset (see {@link HttpProviderBuilder}).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The model's configured capabilities, else those its preset knows (OpenAI's embedding models),
   * else the default ones ({@link ModelCapabilities#ALL} unless configured): never a guess from
   * the model's name.
   */
  /** The service at the base URL's host, in the OpenTelemetry GenAI conventions' words. */
  @Override
  protected String vendor(HttpUrl baseUrl) {
    return dialect.azureDeployments() ? Vendors.AZURE_OPENAI : Vendors.openAi(baseUrl.host());
  }

  @Override
  public ModelCapabilities capabilities(String model) {
    ModelCapabilities c = configuredCapabilities(model);
    if (c != null) {
      return c;
    }
    c = knownModels.get(model);
    return c != null ? c : defaultCapabilities();
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    Deployment deployment = attempt.deployment();
    ErrorDetails details = lastDetails.of(deployment);
    RequestNeeds.require(request, CallKind.CHAT, capabilities(request.model()), details);
    Dropped.check("OpenAI Chat Completions", request, drops);
    byte[] body = encode(request, false, attempt, details);
    UnaryCall.Answer answer = UnaryCall.execute(client,
        post(urls(request.model())[0], body, request, attempt, false), attempt, details, name,
        "x-request-id", chatBody, errorMapper);
    return OpenAiDecoder.chat(answer.body(), request, answer.details(), readLimits.maxToolCalls())
        .deployment(deployment)
        .providerRequestId(answer.requestId())
        .rateLimits(OpenAiHeaders.rateLimits(answer.headers()))
        .rawBodyUtf8(answer.body())
        .build();
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    Deployment deployment = attempt.deployment();
    ErrorDetails details = lastDetails.of(deployment);
    RequestNeeds.require(request, CallKind.STREAM, capabilities(request.model()), details);
    Dropped.check("OpenAI Chat Completions", request, drops);
    byte[] body = encode(request, true, attempt, details);
    Request http = post(urls(request.model())[0], body, request, attempt, true);
    return PullPublisher.of(() -> new OpenAiStreamSource(client.newCall(http), request,
        attempt, errors, secretOrNull(), readLimits), executor);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, AttemptContext attempt) {
    Deployment deployment = attempt.deployment();
    ErrorDetails details = lastDetails.of(deployment);
    RequestNeeds.require(request, CallKind.EMBED, capabilities(request.model()), details);
    byte[] body = encoder.embeddings(request, request.providerExtras().get(name),
        base64Embeddings);
    UnaryCall.Answer answer = UnaryCall.execute(client,
        post(urls(request.model())[1], body, request, attempt, false), attempt, details, name,
        "x-request-id", Bounded.Body.embeddings(readLimits, request.inputs().size()),
        errorMapper);
    return OpenAiDecoder.embeddings(answer.body(), request, deployment, answer.details());
  }

  /**
   * This provider's moderation service ({@code POST /moderations}; see the class doc).
   *
   * @throws UnsupportedCapabilityException when the provider was not declared to have one (every
   *     preset but {@link OpenAiPresets#openAi()}), naming it
   */
  @Override
  public ModerationProvider moderation() {
    ModerationProvider m = moderation;
    if (m == null) {
      throw new UnsupportedCapabilityException("provider '" + name + "' has no moderation API: "
          + "only OpenAI itself serves /moderations in OpenAI's shape (declare another host's "
          + "with moderation(true) on its builder)", new ErrorDetails(name, null, null, null, null),
          null);
    }
    return m;
  }

  /** OpenAI's {@code /moderations} over this provider's client, key and error mapping. */
  private final class Moderation implements ModerationProvider {
    private final HttpUrl url;
    private final String defaultModel;
    private final AtomicLong calls = new AtomicLong();

    Moderation(HttpUrl url, String defaultModel) {
      this.url = url;
      this.defaultModel = defaultModel;
    }

    @Override
    public ModerationResult moderate(ModerationRequest request) {
      Objects.requireNonNull(request, "request");
      String model = request.model() != null ? request.model() : defaultModel;
      Deployment deployment = new Deployment(name, model);
      ErrorDetails details = lastDetails.of(deployment);
      AttemptContext attempt = new AttemptContext("moderation-" + calls.incrementAndGet(),
          deployment, 1, System.nanoTime() + request.timeout().toNanos());
      byte[] body = OpenAiModerations.body(request, model);
      UnaryCall.Answer answer = UnaryCall.execute(client,
          post(url, body, Map.of(), attempt, false), attempt, details, name, "x-request-id",
          chatBody, errorMapper);
      return OpenAiModerations.read(answer.body(), request, model, answer.details(),
          answer.requestId());
    }

    @Override
    public String toString() {
      return "OpenAiProvider.moderation[provider=" + name + ", model=" + defaultModel + "]";
    }
  }

  private byte[] encode(ChatRequest request, boolean stream, AttemptContext attempt,
      ErrorDetails details) {
    try {
      return encoder.chat(request, stream, request.providerExtras().get(name),
          attempt.endUserHash());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), details, e);
    }
  }

  /** The chat and embeddings URLs for a model (Azure deployments put the model in the path). */
  private HttpUrl[] urls(String model) {
    if (!dialect.azureDeployments()) {
      return urls;
    }
    return deploymentUrls.get(model);
  }

  private HttpUrl[] azureUrls(String model) {
    HttpUrl deployment = baseUrl.newBuilder().addPathSegments("openai/deployments")
        .addPathSegment(model).build();
    return new HttpUrl[] {url(deployment, "chat/completions", dialect.apiVersion()),
        url(deployment, "embeddings", dialect.apiVersion())};
  }

  private HttpUrl url(HttpUrl base, String path, @Nullable String apiVersion) {
    HttpUrl.Builder b = base.newBuilder().addPathSegments(path);
    String version = apiVersion != null ? apiVersion : dialect.apiVersion();
    if (version != null) {
      b.addQueryParameter("api-version", version);
    }
    return b.build();
  }

  @Override
  protected void authenticate(Request.Builder request, String secret) {
    if (dialect.apiKeyHeader()) {
      request.header("api-key", secret);
      return;
    }
    Bearer b = bearer;
    if (b == null || !b.secret.equals(secret)) { // the same key as last time, as a rule
      b = new Bearer(secret);
      bearer = b;
    }
    request.header("Authorization", b.header);
  }

  /**
   * The {@code Authorization} value of the last key sent, made again only when the credential
   * hands out another key: not a string per call. Prints nothing of the key.
   */
  private static final class Bearer {
    final String secret;
    final String header;

    Bearer(String secret) {
      this.secret = secret;
      this.header = "Bearer " + secret;
    }

    @Override
    public String toString() {
      return "Bearer[redacted]";
    }
  }

  private GatewayException httpError(int status, Headers headers, String body,
      @Nullable String contentType, Request called, ErrorDetails details) {
    return errors.http(status, headers, body, contentType, called, details, secretOrNull());
  }

  /** Builds an {@link OpenAiProvider}. Not thread-safe; reusable. */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private boolean azureDeployments;
    private @Nullable String apiVersion;
    private boolean apiKeyHeader;
    private boolean legacyMaxTokens;
    private boolean streamUsage = true;
    private boolean safetyIdentifier = true;
    private boolean promptCacheKey = true;
    private boolean reasoningEffort = true;
    private String seedField = "seed";
    private String requiredToolChoice = "required";
    private Map<String, ModelCapabilities> knownModels = OPENAI_MODELS;
    private boolean base64Embeddings = true;
    private @Nullable String endpointHint;
    private boolean moderation = true;
    private String moderationModel = OpenAiModerations.DEFAULT_MODEL;

    Builder() {
      super("openai", "https://api.openai.com/v1", ModelCapabilities.ALL);
      keyVariables("OPENAI_API_KEY");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Azure's deployment URLs: {@code {base}/openai/deployments/{model}/chat/completions
     * ?api-version={apiVersion}}, the model naming the deployment.
     */
    public Builder azureDeployments(String apiVersion) {
      this.azureDeployments = true;
      this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
      return this;
    }

    /** Sends the key in an {@code api-key} header (Azure) instead of {@code Authorization}. */
    public Builder apiKeyHeader(boolean apiKeyHeader) {
      this.apiKeyHeader = apiKeyHeader;
      return this;
    }

    /** Sends {@code max_tokens} instead of {@code max_completion_tokens}. */
    public Builder legacyMaxTokens(boolean legacyMaxTokens) {
      this.legacyMaxTokens = legacyMaxTokens;
      return this;
    }

    /** Asks for usage at the end of streams ({@code stream_options.include_usage}). */
    public Builder streamUsage(boolean streamUsage) {
      this.streamUsage = streamUsage;
      return this;
    }

    /** Sends the hashed end user as {@code safety_identifier}. */
    public Builder safetyIdentifier(boolean safetyIdentifier) {
      this.safetyIdentifier = safetyIdentifier;
      return this;
    }

    /** Sends {@code prompt_cache_key}. */
    public Builder promptCacheKey(boolean promptCacheKey) {
      this.promptCacheKey = promptCacheKey;
      return this;
    }

    /** Sends {@code reasoning_effort}. */
    public Builder reasoningEffort(boolean reasoningEffort) {
      this.reasoningEffort = reasoningEffort;
      return this;
    }

    /** The seed field's name ({@code seed}; Mistral: {@code random_seed}). */
    public Builder seedField(String seedField) {
      this.seedField = Objects.requireNonNull(seedField, "seedField");
      return this;
    }

    /**
     * The models the preset knows (OpenAI's embedding models for OpenAI itself; none for the other
     * presets, whose model names are the endpoint's or the user's own).
     */
    Builder knownModels(Map<String, ModelCapabilities> knownModels) {
      this.knownModels = Map.copyOf(knownModels);
      return this;
    }

    /**
     * The environment variables a preset reads its key from when none is set; none for an endpoint
     * that takes no key.
     */
    Builder keyFrom(String... variables) {
      return keyVariables(variables);
    }

    /** What to check when the base URL answers 404 (a preset's own words); null: by the URL. */
    Builder endpointHint(@Nullable String hint) {
      this.endpointHint = hint;
      return this;
    }

    /** The {@code tool_choice} value for "some tool" ({@code required}; Mistral: {@code any}). */
    public Builder requiredToolChoice(String value) {
      this.requiredToolChoice = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Asks for embeddings as base64 ({@code encoding_format: "base64"}, the default) or as JSON
     * numbers ({@code "float"}). Either way the answer is read in whichever form the server sends
     * (see the class doc).
     */
    public Builder base64Embeddings(boolean base64Embeddings) {
      this.base64Embeddings = base64Embeddings;
      return this;
    }

    /**
     * Declares whether the host serves OpenAI's {@code POST /moderations} ({@link
     * OpenAiProvider#moderation()}): true for OpenAI itself, false for every other preset.
     */
    public Builder moderation(boolean moderation) {
      this.moderation = moderation;
      return this;
    }

    /**
     * The moderation model of requests that name none ({@code omni-moderation-latest}).
     *
     * @throws IllegalArgumentException when it is blank or longer than {@link
     *     ModerationRequest#MAX_MODEL_CHARS} characters
     */
    public Builder moderationModel(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank() || model.length() > ModerationRequest.MAX_MODEL_CHARS) {
        throw new IllegalArgumentException("a moderation model name must be 1 to "
            + ModerationRequest.MAX_MODEL_CHARS + " characters and not blank");
      }
      this.moderationModel = model;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException when the endpoint needs a key, none was given and its
     *     variable ({@code OPENAI_API_KEY} for OpenAI; each hosted preset's own) is unset: the
     *     message names the provider and the variable
     */
    public OpenAiProvider build() {
      return new OpenAiProvider(this, settings());
    }
  }
}
