package dev.llmgateway.providers.anthropic;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.providers.HttpProvider;
import dev.llmgateway.providers.HttpProviderBuilder;
import dev.llmgateway.providers.HttpSettings;
import dev.llmgateway.providers.anthropic.internal.AnthropicDecoder;
import dev.llmgateway.providers.anthropic.internal.AnthropicEncoder;
import dev.llmgateway.providers.anthropic.internal.AnthropicErrors;
import dev.llmgateway.providers.anthropic.internal.AnthropicStreamSource;
import dev.llmgateway.providers.internal.Bounded;
import dev.llmgateway.providers.internal.Dropped;
import dev.llmgateway.providers.internal.Endpoints;
import dev.llmgateway.providers.internal.LastDetails;
import dev.llmgateway.providers.internal.UnaryCall;
import dev.llmgateway.providers.internal.Vendors;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.RequestNeeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Flow;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * The Anthropic Messages transport: {@code POST /v1/messages}, unary and streamed, with the key in
 * {@code x-api-key}, {@code anthropic-version: 2023-06-01} and the configured {@link
 * Builder#betas betas} in {@code anthropic-beta}.
 *
 * <p>What it sends: system messages as the top-level {@code system}; text, images (base64 or URL
 * sources), documents (base64 PDFs, plain text), {@code tool_use} and {@code tool_result} blocks;
 * the assistant's reasoning back as {@code thinking} blocks with their {@code signature} or {@code
 * redacted_thinking} blocks with their {@code data}, unchanged (parts this format produced, or of
 * unknown origin); {@code cache_control: {"type":
 * "ephemeral"}} on parts with a {@link dev.llmgateway.CacheControl} (plus {@code "ttl": "1h"} when
 * the TTL is longer than five minutes); tools with {@code input_schema} and {@code tool_choice}
 * ({@code auto}, {@code any}, {@code tool}, {@code none}); {@code temperature}, {@code top_p},
 * {@code stop_sequences}; the hashed end user as {@code metadata.user_id}; then the request's
 * extras for this provider's name, which win over any field above. Anthropic has no seed and no
 * prompt cache key: those are not sent.
 *
 * <p><b>Reasoning.</b> A {@link dev.llmgateway.ReasoningConfig} becomes {@code thinking: {type:
 * enabled, budget_tokens}}: a budget as given (0 sends {@code type: disabled}; 1 to 1023 are raised
 * to the API's minimum, 1024), an effort as MINIMAL 1024, LOW 4096, MEDIUM 10000, HIGH 32000
 * tokens.
 *
 * <p><b>{@code max_tokens}</b> is required by Anthropic. When the request sets none, the transport
 * sends the model's default (overridable per model with {@link Builder#defaultMaxTokens}), by
 * model family:
 *
 * <table>
 *   <caption>default max_tokens</caption>
 *   <tr><th>model name starts with</th><th>default</th></tr>
 *   <tr><td>{@code claude-opus-4}, {@code claude-sonnet-4}, {@code claude-haiku-4},
 *       {@code claude-3-7-sonnet}</td><td>16384</td></tr>
 *   <tr><td>{@code claude-3-5-}</td><td>8192</td></tr>
 *   <tr><td>anything else (incl. {@code claude-3-opus}, {@code claude-3-haiku})</td>
 *       <td>4096</td></tr>
 * </table>
 *
 * <p>(16384 stays below the output at which Anthropic's SDKs refuse a non-streamed call as likely
 * to exceed ten minutes.) When thinking is on and its budget is not below that default, the budget
 * plus the default is sent, since {@code max_tokens} must exceed {@code budget_tokens}; a
 * {@code maxOutputTokens} the request sets is always sent as is.
 *
 * <p><b>Structured output.</b> A {@link ResponseFormat#jsonSchema JSON schema} is sent as {@code
 * output_config: {format: {type: json_schema, schema}}} (Anthropic's structured outputs). Models
 * that lack it can be declared with {@link Builder#capabilities} ({@code jsonSchema = false}); the
 * request is then rejected with an {@link UnsupportedCapabilityException} before anything is sent.
 * {@link ResponseFormat#JSON_OBJECT} (any JSON object) has no Anthropic equivalent and is always
 * rejected that way: give a schema instead.
 *
 * <p>Usage mapping: see {@code AnthropicDecoder} — the canonical input is {@code input_tokens +
 * cache_read_input_tokens + cache_creation_input_tokens}, cached input the reads, cache writes the
 * creations (one-hour writes from {@code cache_creation.ephemeral_1h_input_tokens}); Anthropic does
 * not report thinking tokens separately, so reasoning tokens are 0 (they are part of output).
 * Errors map onto the {@link GatewayException} tree (see {@code AnthropicErrors}); the {@code
 * request-id} and {@code anthropic-ratelimit-*} headers are kept on the response. No embeddings:
 * {@link #embed} throws {@link UnsupportedCapabilityException}.
 *
 * <p>Thread-safe. Stream events are read and delivered on this provider's executor (by default a
 * pool of daemon threads it owns and {@link #close() closes}).
 *
 * <p>What this format cannot express is dropped and reported at DEBUG by the logger {@code
 * dev.llmgateway.providers.internal.Dropped}: a seed, a prompt cache key, strict tool schemas,
 * reasoning parts without a signature, signatures on tool calls, and every reasoning part another
 * wire format produced ({@link dev.llmgateway.ContentPart.Reasoning#sendableTo}: after a failover,
 * another provider's signature would be rejected). What its capabilities say the model
 * cannot do (the one rule of {@link dev.llmgateway.spi.RequestNeeds}: the call kind, tools,
 * images, documents, a JSON schema, reasoning settings) is rejected before sending with an {@link
 * UnsupportedCapabilityException}, and so is a JSON-object format (see above); whether the
 * request fits the context window is left to the provider, which knows its own token counts.
 */
public final class AnthropicProvider extends HttpProvider {
  /**
   * The wire format's name on the reasoning parts this transport reads ({@link
   * dev.llmgateway.ContentPart.Reasoning#format()}); it sends back only parts of this format (or
   * of unknown origin).
   */
  public static final String FORMAT = "anthropic";
  /** What this format drops (reported at DEBUG, see {@link Dropped}). */
  private static final Dropped.Support DROPS =
      new Dropped.Support(FORMAT, false, false, true, true, false, false, true, false);
  /** The API version sent in {@code anthropic-version}. */
  public static final String API_VERSION = "2023-06-01";
  /** The {@code max_tokens} sent for models of no known family. */
  public static final int FALLBACK_MAX_TOKENS = 4096;

  private static final ModelCapabilities DEFAULT_CAPABILITIES = ModelCapabilities.CHAT_ALL;

  /** What a chat answer may hold, and how an error status is read: made once, not per call. */
  private final Bounded.Body chatBody;
  private final UnaryCall.ErrorMapper errorMapper;
  private final LastDetails lastDetails = new LastDetails();
  private final HttpUrl messagesUrl;
  private final AnthropicErrors errors;
  private final Map<String, Integer> maxTokens;

  private AnthropicProvider(Builder b, HttpSettings s) {
    super(s, formatHeaders(b));
    this.chatBody = Bounded.Body.chat(readLimits);
    this.errorMapper = this::httpError;
    this.messagesUrl = s.baseUrl().newBuilder().addPathSegments("v1/messages").build();
    this.errors = new AnthropicErrors(name, s.clock(), s.logProviderErrorBodies(),
        new Endpoints(name, baseUrl, AnthropicErrors.endpointHint(baseUrl)));
    this.maxTokens = Map.copyOf(b.maxTokens);
  }

  private static Map<String, String> formatHeaders(Builder b) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("anthropic-version", b.version);
    if (!b.betas.isEmpty()) {
      h.put("anthropic-beta", String.join(",", b.betas));
    }
    return h;
  }

  /**
   * A builder for Anthropic itself ({@code https://api.anthropic.com}). Without {@code apiKey(...)}
   * or {@code credential(...)} it reads {@code ANTHROPIC_API_KEY}, and {@code build()} fails naming
   * it when that is unset (see {@link HttpProviderBuilder}).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The {@code max_tokens} sent for a model when the request sets none (see the class doc). */
  public int defaultMaxTokens(String model) {
    Integer configured = maxTokens.get(model);
    if (configured != null) {
      return configured;
    }
    if (model.startsWith("claude-opus-4") || model.startsWith("claude-sonnet-4")
        || model.startsWith("claude-haiku-4") || model.startsWith("claude-3-7-sonnet")) {
      return 16_384;
    }
    if (model.startsWith("claude-3-5-")) {
      return 8192;
    }
    return FALLBACK_MAX_TOKENS;
  }

  /** The service at the base URL's host, in the OpenTelemetry GenAI conventions' words. */
  @Override
  protected String vendor(HttpUrl baseUrl) {
    return Vendors.ANTHROPIC;
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    Deployment deployment = attempt.deployment();
    ErrorDetails details = lastDetails.of(deployment);
    check(request, CallKind.CHAT, details);
    Dropped.check("Anthropic Messages", request, DROPS);
    byte[] body = encode(request, false, attempt, details);
    UnaryCall.Answer answer = UnaryCall.execute(client,
        post(messagesUrl, body, request, attempt, false),
        attempt, details, name, "request-id", chatBody, errorMapper);
    return AnthropicDecoder.chat(answer.body(), request, answer.details(),
            readLimits.maxToolCalls())
        .deployment(deployment)
        .providerRequestId(answer.requestId())
        .rateLimits(AnthropicErrors.rateLimits(answer.headers()))
        .rawBodyUtf8(answer.body())
        .build();
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    Deployment deployment = attempt.deployment();
    ErrorDetails details = lastDetails.of(deployment);
    check(request, CallKind.STREAM, details);
    Dropped.check("Anthropic Messages", request, DROPS);
    byte[] body = encode(request, true, attempt, details);
    Request http = post(messagesUrl, body, request, attempt, true);
    return PullPublisher.of(() -> new AnthropicStreamSource(client.newCall(http), request,
        attempt, errors, secretOrNull(), readLimits), executor);
  }

  private byte[] encode(ChatRequest request, boolean stream, AttemptContext attempt,
      ErrorDetails details) {
    try {
      return AnthropicEncoder.chat(request, stream, maxTokens(request),
          request.providerExtras().get(name), attempt.endUserHash());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), details, e);
    }
  }

  private int maxTokens(ChatRequest request) {
    if (request.maxOutputTokens() != null) {
      return request.maxOutputTokens();
    }
    int fallback = defaultMaxTokens(request.model());
    if (request.reasoning() != null) {
      int budget = AnthropicEncoder.budget(request.reasoning());
      if (budget >= fallback) {
        return budget + fallback;
      }
    }
    return fallback;
  }

  /**
   * Rejects what the model cannot serve (the one rule of {@link RequestNeeds}), then what this
   * format cannot express, before anything is sent.
   */
  private void check(ChatRequest request, CallKind kind, ErrorDetails details) {
    RequestNeeds.require(request, kind, capabilities(request.model()), details);
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() == ResponseFormat.Type.JSON_OBJECT) {
      throw new UnsupportedCapabilityException("Anthropic has no JSON-object mode; give a JSON "
          + "schema (ResponseFormat.jsonSchema) instead", details, null);
    }
  }

  @Override
  protected void authenticate(Request.Builder request, String secret) {
    request.header("x-api-key", secret);
  }

  private GatewayException httpError(int status, Headers headers, String body,
      @Nullable String contentType, Request called, ErrorDetails details) {
    return errors.http(status, headers, body, contentType, called, details, secretOrNull());
  }

  /** Builds an {@link AnthropicProvider}. Not thread-safe; reusable. */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String version = API_VERSION;
    private final Set<String> betas = new LinkedHashSet<>();
    private final Map<String, Integer> maxTokens = new LinkedHashMap<>();

    Builder() {
      super("anthropic", "https://api.anthropic.com", DEFAULT_CAPABILITIES);
      keyVariables("ANTHROPIC_API_KEY");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The {@code anthropic-version} header ({@value AnthropicProvider#API_VERSION}). */
    public Builder version(String version) {
      Objects.requireNonNull(version, "version");
      if (version.isBlank()) {
        throw new IllegalArgumentException("the API version must not be blank");
      }
      this.version = version;
      return this;
    }

    /**
     * Beta features to turn on, sent comma-separated in {@code anthropic-beta} (e.g. {@code
     * context-1m-2025-08-07}); adds to the betas given before.
     */
    public Builder betas(String... betas) {
      for (String beta : betas) {
        Objects.requireNonNull(beta, "beta");
        if (beta.isBlank() || beta.indexOf(',') >= 0) {
          throw new IllegalArgumentException("a beta name must be non-blank and contain no ',', "
              + "was '" + beta + "'");
        }
        this.betas.add(beta.strip());
      }
      return this;
    }

    /** The {@code max_tokens} sent for a model when a request sets none. */
    public Builder defaultMaxTokens(String model, int maxTokens) {
      Objects.requireNonNull(model, "model");
      if (maxTokens <= 0) {
        throw new IllegalArgumentException("maxTokens must be > 0, was " + maxTokens);
      }
      this.maxTokens.put(model, maxTokens);
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException when no key was given and {@code ANTHROPIC_API_KEY} is unset
     *     (the message names both), or capabilities say a model can embed
     */
    public AnthropicProvider build() {
      HttpSettings s = settings();
      List<String> conflicts = new ArrayList<>();
      for (Map.Entry<String, ModelCapabilities> e : s.capabilities().entrySet()) {
        if (e.getValue().embeddings()) {
          conflicts.add(e.getKey());
        }
      }
      if (!conflicts.isEmpty() || s.defaultCapabilities().embeddings()) {
        throw new IllegalStateException("Anthropic has no embeddings API, but capabilities say "
            + (conflicts.isEmpty() ? "every model" : conflicts) + " can embed");
      }
      return new AnthropicProvider(this, s);
    }
  }
}
