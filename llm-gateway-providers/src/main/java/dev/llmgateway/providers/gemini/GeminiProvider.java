package dev.llmgateway.providers.gemini;

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
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.providers.Credential;
import dev.llmgateway.providers.HttpProvider;
import dev.llmgateway.providers.HttpProviderBuilder;
import dev.llmgateway.providers.HttpSettings;
import dev.llmgateway.providers.gemini.internal.GeminiDecoder;
import dev.llmgateway.providers.gemini.internal.GeminiEncoder;
import dev.llmgateway.providers.gemini.internal.GeminiErrors;
import dev.llmgateway.providers.gemini.internal.GeminiStreamSource;
import dev.llmgateway.providers.internal.Bounded;
import dev.llmgateway.providers.internal.Dropped;
import dev.llmgateway.providers.internal.Endpoints;
import dev.llmgateway.providers.internal.LastDetails;
import dev.llmgateway.providers.internal.ModelMemo;
import dev.llmgateway.providers.internal.UnaryCall;
import dev.llmgateway.providers.internal.Vendors;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.RequestNeeds;
import dev.llmgateway.spi.TokenEstimator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * The Google Gemini API transport (v1beta): {@code POST /models/{model}:generateContent}, {@code
 * POST /models/{model}:streamGenerateContent?alt=sse} and {@code POST
 * /models/{model}:batchEmbedContents}.
 *
 * <p>The key is read from the {@link Credential} at send time and sent in the {@code
 * x-goog-api-key} header, never in the URL (Google also accepts {@code ?key=}, which ends up in
 * access logs and proxies).
 *
 * <p>What it sends: system messages as {@code systemInstruction}; user/assistant turns as {@code
 * user}/{@code model} contents; tool calls as {@code functionCall} parts and tool results as
 * {@code functionResponse} parts (named after the call they answer; a result that is not a JSON
 * object is wrapped as {@code {"result": text}}); tools as {@code functionDeclarations} with
 * {@code parametersJsonSchema}; the tool choice as {@code toolConfig.functionCallingConfig} ({@code
 * AUTO}, {@code NONE}, {@code ANY}, {@code ANY} with {@code allowedFunctionNames}); a JSON schema
 * format as {@code responseMimeType: application/json} plus {@code responseJsonSchema} (a JSON
 * object format as the MIME type alone); reasoning as {@code thinkingConfig} ({@code
 * includeThoughts: true} and a {@code thinkingBudget}: the request's budget, or for an effort
 * MINIMAL 512, LOW 1024, MEDIUM 8192, HIGH 24576 tokens, budgets every Gemini 2.5 model accepts);
 * temperature, top-p, max output tokens, stop sequences and the seed (32-bit) in {@code
 * generationConfig}; then the request's extras for this provider's name, top-level fields that
 * replace ours (e.g. {@code safetySettings}, {@code cachedContent}, or a whole {@code
 * generationConfig}). Thought signatures go back unchanged on the part that carried them, a
 * function call's on its {@link dev.llmgateway.ToolCall} (see {@code GeminiEncoder}).
 *
 * <p>Images given by URL: {@code data:} URLs are sent inline. Other URLs are by default sent as
 * {@code fileData.fileUri} (with a media type from the file extension when it names one), which
 * Gemini fetches itself (Files API URIs, public and signed HTTPS URLs). With {@link
 * Builder#fetchImageUrls(boolean) fetchImageUrls(true)} the transport downloads them with its own
 * OkHttp client instead (for URLs only the application can reach) and sends them inline, up to
 * {@link #MAX_FETCHED_IMAGE_BYTES} each, within 10 seconds each; a download that fails, is not an
 * image or is larger fails the call with an {@link InvalidRequestException} before anything is sent
 * to Gemini. Such a URL comes from the request, so fetching only reaches public addresses: only
 * {@code http} and {@code https}; the host is resolved once, and if any address it resolves to is
 * not public (unspecified {@code 0.0.0.0/8} and {@code ::}; loopback {@code 127/8} and {@code ::1};
 * link-local {@code 169.254/16}, which holds cloud metadata services, and {@code fe80::/10};
 * private {@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code fc00::/7}; shared {@code
 * 100.64/10}; reserved ranges; multicast; IPv6 forms embedding such an IPv4 address) the fetch is
 * refused before any connection with an {@link InvalidRequestException} naming the host, the
 * address and why; otherwise the connection goes to exactly the addresses checked (never to a
 * second DNS answer), directly rather than through the client's proxy. A redirect is not followed:
 * it is refused the same way. URLs of private hosts are not fetched at all: send such images as
 * data.
 *
 * <p>Embeddings use {@code batchEmbedContents} (one request per input, with {@code
 * outputDimensionality}; extras go into each). Their usage is the input tokens the answer reports
 * in {@code usageMetadata.promptTokenCount} where the endpoint sends it (Vertex AI documents it on
 * {@code embedContent}); the Gemini API's {@code batchEmbedContents} reports none, so there the
 * usage is the gateway's estimate ({@link TokenEstimator}), flagged {@code estimated}.
 * Gemini's documented embedding models ({@code gemini-embedding-001}, {@code
 * gemini-embedding-2-preview}) can only embed unless configured otherwise; any other model is
 * never judged by its name: it may do anything ({@link ModelCapabilities#ALL}, or the builder's
 * {@code defaultCapabilities}) and what Gemini refuses comes back as its typed error (a 404 {@code
 * NOT_FOUND} "not supported for embedContent" is a {@link dev.llmgateway.ModelNotFoundException}).
 *
 * <p>Function calls streamed in pieces, as Vertex AI sends them when a request asks for streamed
 * arguments (extras {@code {"toolConfig": {"functionCallingConfig": {"mode": "AUTO",
 * "streamFunctionCallArguments": true}}}}): the pieces ({@code partialArgs} at JSON paths, {@code
 * willContinue}) are assembled, and each call is handed on once, whole, with its name, complete
 * arguments and signature, as one {@link ChatEvent.ToolCallDelta}; what the pieces hold counts
 * against the {@link dev.llmgateway.providers.ReadLimits#maxResponseBytes() maxResponseBytes}
 * limit as it arrives.
 *
 * <p>Usage and finish reasons: see {@code GeminiDecoder}. Errors map onto the {@link
 * GatewayException} tree: see {@code GeminiErrors}.
 *
 * <p>Thread-safe. Stream events are read and delivered on this provider's executor (by default a
 * pool of daemon threads it owns and {@link #close() closes}).
 *
 * <p>What this format cannot express is dropped and reported at DEBUG by the logger {@code
 * dev.llmgateway.providers.internal.Dropped}: a prompt cache key, cache hints, strict tool schemas,
 * reasoning parts without a signature, and the reasoning parts and tool-call signatures another
 * wire format produced ({@link dev.llmgateway.ContentPart.Reasoning#sendableTo}: after a failover,
 * another provider's signature would be rejected). What its capabilities say the model cannot do
 * (the one rule of {@link dev.llmgateway.spi.RequestNeeds}: the call kind, tools, images, documents,
 * a JSON schema, reasoning settings) is rejected before sending with an {@link
 * dev.llmgateway.UnsupportedCapabilityException}; whether the request fits the context window is
 * left to the provider, which knows its own token counts.
 */
public final class GeminiProvider extends HttpProvider {
  /** Gemini's documented embedding models, which can only embed. */
  private static final Map<String, ModelCapabilities> KNOWN_MODELS = Map.of(
      "gemini-embedding-001", ModelCapabilities.EMBEDDINGS_ONLY,
      "gemini-embedding-2-preview", ModelCapabilities.EMBEDDINGS_ONLY);

  /**
   * The wire format's name on the reasoning parts and tool-call signatures this transport reads
   * ({@link dev.llmgateway.ContentPart.Reasoning#format()}); it sends back only parts of this
   * format (or of unknown origin).
   */
  public static final String FORMAT = "gemini";
  /** What this format drops (reported at DEBUG, see {@link Dropped}). */
  private static final Dropped.Support DROPS =
      new Dropped.Support(FORMAT, true, false, false, true, false, false, true, true);
  /** The most bytes an image fetched for {@link Builder#fetchImageUrls(boolean)} may have. */
  public static final int MAX_FETCHED_IMAGE_BYTES = 20 * 1024 * 1024;
  /** How long fetching one image for {@link Builder#fetchImageUrls(boolean)} may take, in all. */
  private static final long FETCH_IMAGE_TIMEOUT_MILLIS = 10_000;

  /** What a chat answer may hold, and how an error status is read: made once, not per call. */
  private final Bounded.Body chatBody;
  private final UnaryCall.ErrorMapper errorMapper;
  private final LastDetails lastDetails = new LastDetails();
  private final GeminiErrors errors;
  private final boolean fetchImageUrls;
  private final ImageFetchAddresses imageAddresses;
  /** The URLs per model, bounded (callers may send any model). */
  private final ModelMemo<HttpUrl[]> urls = new ModelMemo<>(this::modelUrls);

  private GeminiProvider(Builder b, HttpSettings s) {
    super(s, Map.of());
    this.chatBody = Bounded.Body.chat(readLimits);
    this.errorMapper = this::httpError;
    this.errors = new GeminiErrors(name, s.clock(), s.logProviderErrorBodies(),
        new Endpoints(name, baseUrl, GeminiErrors.endpointHint(baseUrl)));
    this.fetchImageUrls = b.fetchImageUrls;
    this.imageAddresses = b.imageAddresses;
  }

  /**
   * A builder for Gemini ({@code https://generativelanguage.googleapis.com/v1beta}). Without {@code
   * apiKey(...)} or {@code credential(...)} it reads {@code GOOGLE_API_KEY}, else {@code
   * GEMINI_API_KEY} (Google's SDKs' order: {@code GOOGLE_API_KEY} wins when both are set, with a
   * warning when they differ), and {@code build()} fails naming both when neither is set (see
   * {@link HttpProviderBuilder}).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The model's configured capabilities, else those of Gemini's documented embedding models
   * ({@code gemini-embedding-001}, {@code gemini-embedding-2-preview}: embeddings only), else the
   * default ones ({@link ModelCapabilities#ALL} unless configured): never a guess from the model's
   * name.
   */
  /** The service at the base URL's host, in the OpenTelemetry GenAI conventions' words. */
  @Override
  protected String vendor(HttpUrl baseUrl) {
    return Vendors.gemini(baseUrl.host());
  }

  @Override
  public ModelCapabilities capabilities(String model) {
    ModelCapabilities c = configuredCapabilities(model);
    if (c != null) {
      return c;
    }
    c = KNOWN_MODELS.get(model);
    return c != null ? c : defaultCapabilities();
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    Deployment deployment = attempt.deployment();
    ErrorDetails details = lastDetails.of(deployment);
    RequestNeeds.require(request, CallKind.CHAT, capabilities(request.model()), details);
    Dropped.check("Gemini", request, DROPS);
    byte[] body = encode(request, details);
    UnaryCall.Answer answer = UnaryCall.execute(client,
        post(urls(request.model())[0], body, request, attempt, false), attempt, details, name,
        null, chatBody, errorMapper);
    return GeminiDecoder.chat(answer.body(), request, answer.details(), readLimits)
        .deployment(deployment)
        .rawBodyUtf8(answer.body())
        .build();
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    Deployment deployment = attempt.deployment();
    ErrorDetails details = lastDetails.of(deployment);
    RequestNeeds.require(request, CallKind.STREAM, capabilities(request.model()), details);
    Dropped.check("Gemini", request, DROPS);
    byte[] body = encode(request, details);
    Request http = post(urls(request.model())[1], body, request, attempt, true);
    return PullPublisher.of(() -> new GeminiStreamSource(client.newCall(http), request,
        attempt, errors, secretOrNull(), readLimits), executor);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, AttemptContext attempt) {
    Deployment deployment = attempt.deployment();
    ErrorDetails details = lastDetails.of(deployment);
    RequestNeeds.require(request, CallKind.EMBED, capabilities(request.model()), details);
    byte[] body;
    try {
      body = GeminiEncoder.embeddings(request, request.model(),
          request.providerExtras().get(name));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), details, e);
    }
    UnaryCall.Answer answer = UnaryCall.execute(client,
        post(urls(request.model())[2], body, request, attempt, false), attempt, details, name,
        null, Bounded.Body.embeddings(readLimits, request.inputs().size()), errorMapper);
    return GeminiDecoder.embeddings(answer.body(), request, deployment, answer.details());
  }

  private byte[] encode(ChatRequest request, ErrorDetails details) {
    try {
      return GeminiEncoder.chat(request, request.providerExtras().get(name),
          fetchImageUrls ? url -> fetch(url, details) : url -> null);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), details, e);
    }
  }

  /**
   * Downloads an image for {@link Builder#fetchImageUrls(boolean)}: resolves the host once, refuses
   * it unless every address it resolves to passes {@link #imageAddresses}, then connects only to
   * those addresses (so a second DNS answer cannot swap in another), directly (no proxy), with no
   * redirect followed and within {@link #FETCH_IMAGE_TIMEOUT_MILLIS}.
   */
  private GeminiEncoder.Inline fetch(String url, ErrorDetails details) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new InvalidRequestException("an image URL is neither data: nor http(s)", details, null);
    }
    // never print the query: signed URLs carry their credentials there
    String shown = parsed.scheme() + "://" + parsed.host() + parsed.encodedPath();
    List<InetAddress> vetted = vet(parsed.host(), details);
    OkHttpClient direct = client.newBuilder()
        .proxy(Proxy.NO_PROXY)
        .dns(host -> {
          if (!host.equals(parsed.host())) {
            throw new UnknownHostException(host + " was not vetted for an image fetch");
          }
          return vetted;
        })
        .followRedirects(false)
        .followSslRedirects(false)
        .callTimeout(Duration.ofMillis(FETCH_IMAGE_TIMEOUT_MILLIS))
        .build();
    try (Response r = direct.newCall(new Request.Builder().url(parsed).get()
        .header("User-Agent", USER_AGENT).build()).execute()) {
      String type = r.header("content-type");
      if (r.isRedirect()) {
        throw new InvalidRequestException("the image at " + shown + " was refused: it redirects"
            + " (HTTP " + r.code() + "), and image fetches follow no redirects", details, null);
      }
      if (!r.isSuccessful()) {
        throw new InvalidRequestException("the image at " + shown + " could not be fetched: HTTP "
            + r.code(), details, null);
      }
      if (type == null || !type.startsWith("image/")) {
        throw new InvalidRequestException("the URL " + shown + " is not an image ("
            + (type == null ? "no content type" : type) + ")", details, null);
      }
      BufferedSource source = r.body().source();
      Buffer bytes = new Buffer();
      while (source.read(bytes, 64 * 1024) != -1) {
        if (bytes.size() > MAX_FETCHED_IMAGE_BYTES) {
          throw new InvalidRequestException("the image at " + shown + " is larger than "
              + MAX_FETCHED_IMAGE_BYTES + " bytes", details, null);
        }
      }
      int semicolon = type.indexOf(';');
      return new GeminiEncoder.Inline(semicolon < 0 ? type : type.substring(0, semicolon).trim(),
          bytes.readByteArray());
    } catch (IOException e) {
      throw new InvalidRequestException("the image at " + shown + " could not be fetched ("
          + e.getClass().getSimpleName() + ")", details, e);
    }
  }

  /** Resolves an image's host once and refuses it unless every address passes the policy. */
  private List<InetAddress> vet(String host, ErrorDetails details) {
    List<InetAddress> addresses;
    try {
      addresses = Dns.SYSTEM.lookup(host);
    } catch (UnknownHostException e) {
      throw new InvalidRequestException("the image host " + host + " could not be resolved",
          details, e);
    }
    for (InetAddress address : addresses) {
      String refusal = imageAddresses.refusal(address);
      if (refusal != null) {
        throw new InvalidRequestException("the image host " + host + " was refused: it resolves to "
            + address.getHostAddress() + ", " + refusal
            + " (only public addresses are fetched)", details, null);
      }
    }
    if (addresses.isEmpty()) {
      throw new InvalidRequestException("the image host " + host + " could not be resolved",
          details, null);
    }
    return List.copyOf(addresses);
  }

  /** The generate, stream and embed URLs of a model ({@code models/} prefix optional). */
  private HttpUrl[] urls(String model) {
    return urls.get(model);
  }

  private HttpUrl[] modelUrls(String model) {
    String id = model.startsWith("models/") ? model.substring(7) : model;
    HttpUrl models = baseUrl.newBuilder().addPathSegment("models").build();
    return new HttpUrl[] {
        models.newBuilder().addPathSegment(id + ":generateContent").build(),
        models.newBuilder().addPathSegment(id + ":streamGenerateContent")
            .addQueryParameter("alt", "sse").build(),
        models.newBuilder().addPathSegment(id + ":batchEmbedContents").build()};
  }

  @Override
  protected void authenticate(Request.Builder request, String secret) {
    request.header("x-goog-api-key", secret);
  }

  private GatewayException httpError(int status, Headers headers, String body,
      @Nullable String contentType, Request called, ErrorDetails details) {
    return errors.http(status, headers, body, contentType, called, details, secretOrNull());
  }

  /** Builds a {@link GeminiProvider}. Not thread-safe; reusable. */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private boolean fetchImageUrls;
    private ImageFetchAddresses imageAddresses = ImageFetchAddresses.PUBLIC_ONLY;

    Builder() {
      super("gemini", "https://generativelanguage.googleapis.com/v1beta", ModelCapabilities.ALL);
      keyVariables("GOOGLE_API_KEY", "GEMINI_API_KEY");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** Refuses a base URL that carries the key: it belongs in {@code x-goog-api-key}. */
    @Override
    protected void checkBaseUrl(HttpUrl url) {
      if (url.queryParameter("key") != null) {
        throw new IllegalArgumentException("put the API key in apiKey(...), not in the base URL");
      }
    }

    /**
     * Whether the transport downloads images given by http(s) URL itself and sends them inline
     * (up to {@link #MAX_FETCHED_IMAGE_BYTES} each), instead of passing the URL for Gemini to fetch
     * ({@code fileData.fileUri}, the default: {@code false}). Turn it on for URLs Google's servers
     * cannot reach but that are public all the same: a host that resolves to any non-public address
     * (loopback, link-local, private, shared, reserved or multicast) is refused, and so is a
     * redirect; see the class description.
     */
    public Builder fetchImageUrls(boolean fetchImageUrls) {
      this.fetchImageUrls = fetchImageUrls;
      return this;
    }

    /** Which addresses images may be fetched from; a test hook (tests serve on loopback). */
    Builder imageAddresses(ImageFetchAddresses imageAddresses) {
      this.imageAddresses = imageAddresses;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException when no key was given and neither {@code GOOGLE_API_KEY} nor
     *     {@code GEMINI_API_KEY} is set (the message names the provider and both)
     */
    public GeminiProvider build() {
      return new GeminiProvider(this, settings());
    }
  }
}
