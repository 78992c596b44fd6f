package dev.llmgateway.providers;

import dev.llmgateway.GatewayRequest;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.ProviderIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * What every HTTP transport shares once built: its settings, per-model capabilities, the request
 * headers every call carries (the format's auth header, user agent, static headers, the request's
 * and the attempt's extra headers), its {@link ReadLimits}, the executor it owns and closes, and a
 * {@code toString()} that never prints the key. Each wire format extends it with its codec; a
 * third-party transport may do the same. Thread-safe.
 */
public abstract class HttpProvider implements Provider {
  private static final MediaType JSON = MediaType.get("application/json");
  /** The {@code User-Agent} every transport sends. */
  protected static final String USER_AGENT = "llm-gateway/0.1";

  /** The provider's unique name. */
  protected final String name;
  /** The API's base URL. */
  protected final HttpUrl baseUrl;
  /** Where the key is read at send time. */
  protected final Credential credential;
  /** The OkHttp client. */
  protected final OkHttpClient client;
  /** The executor that reads streams. */
  protected final Executor executor;
  /** How much of an answer is read. */
  protected final ReadLimits readLimits;
  private final @Nullable ExecutorService ownedExecutor;
  /** The format's and the user's static headers: name, value, name, value..., in order. */
  private final String[] headerPairs;
  private final Map<String, ModelCapabilities> capabilities;
  private final ModelCapabilities defaultCapabilities;
  private volatile @Nullable ProviderIdentity identity;

  /**
   * A transport over the given settings.
   *
   * @param formatHeaders headers of the format sent with every request before the user's own
   *     static headers (e.g. {@code anthropic-version}); empty for none
   */
  protected HttpProvider(HttpSettings settings, Map<String, String> formatHeaders) {
    this.name = settings.name();
    this.baseUrl = settings.baseUrl();
    this.credential = settings.credential();
    this.client = settings.client();
    this.executor = settings.executorOrNewPool();
    this.ownedExecutor = settings.ownedPool(executor);
    this.readLimits = settings.readLimits();
    Map<String, String> all = new LinkedHashMap<>(formatHeaders);
    all.putAll(settings.headers());
    this.headerPairs = pairs(all);
    this.capabilities = settings.capabilities();
    this.defaultCapabilities = settings.defaultCapabilities();
  }

  /** Adds the format's auth header for a non-empty key or token. */
  protected abstract void authenticate(Request.Builder request, String secret);

  @Override
  public final String name() {
    return name;
  }

  /** The model's configured capabilities, else the default ones. */
  @Override
  public ModelCapabilities capabilities(String model) {
    ModelCapabilities c = capabilities.get(model);
    return c != null ? c : defaultCapabilities;
  }

  /**
   * The service this transport speaks to ({@link #vendor(HttpUrl)}) and its base URL's host and
   * port, worked out once.
   */
  @Override
  public final ProviderIdentity identity() {
    ProviderIdentity id = identity;
    if (id == null) {
      id = new ProviderIdentity(vendor(baseUrl), baseUrl.host(), baseUrl.port());
      identity = id; // a race makes an equal value twice
    }
    return id;
  }

  /**
   * The service at {@code baseUrl}, as the OpenTelemetry GenAI conventions name it ({@code
   * openai}, {@code azure.ai.openai}, {@code anthropic}, {@code gcp.gemini}, ...); each wire format
   * tells its own from the host. This default returns the provider's configured name.
   */
  protected String vendor(HttpUrl baseUrl) {
    return name;
  }

  /** The capabilities configured for the model, or null when it has none of its own. */
  protected final @Nullable ModelCapabilities configuredCapabilities(String model) {
    return capabilities.get(model);
  }

  /** The capabilities of models without their own. */
  protected final ModelCapabilities defaultCapabilities() {
    return defaultCapabilities;
  }

  /** A JSON POST carrying every header a call sends. */
  protected final Request post(HttpUrl url, byte[] body, GatewayRequest request,
      AttemptContext attempt, boolean stream) {
    return post(url, body, request.extraHeaders(), attempt, stream);
  }

  /**
   * A JSON POST carrying every header a call sends, for a call that is not a {@link
   * GatewayRequest} (a moderation call): the provider's headers, then {@code extraHeaders}, then
   * the attempt's.
   */
  protected final Request post(HttpUrl url, byte[] body, Map<String, String> extraHeaders,
      AttemptContext attempt, boolean stream) {
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(body, JSON));
    String secret = credential.secret();
    if (!secret.isEmpty()) {
      authenticate(b, secret);
    }
    b.header("User-Agent", USER_AGENT);
    if (stream) {
      b.header("Accept", "text/event-stream");
    }
    for (int i = 0; i < headerPairs.length; i += 2) { // no lambda or iterator per call
      b.header(headerPairs[i], headerPairs[i + 1]);
    }
    if (!extraHeaders.isEmpty()) {
      extraHeaders.forEach(b::header);
    }
    Map<String, String> own = attempt.headers();
    if (!own.isEmpty()) {
      own.forEach(b::header);
    }
    return b.build();
  }

  /** The headers as name, value, name, value..., in their order. */
  private static String[] pairs(Map<String, String> headers) {
    String[] pairs = new String[headers.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      pairs[i++] = e.getKey();
      pairs[i++] = e.getValue();
    }
    return pairs;
  }

  /** The current key, to scrub from error messages; null when there is none. */
  protected final @Nullable String secretOrNull() {
    String s = credential.secret();
    return s.isEmpty() ? null : s;
  }

  /** Shuts down the executor the provider created (not one you supplied). */
  @Override
  public void close() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[name=" + name + ", baseUrl=" + baseUrl
        + ", credential=" + credential + "]";
  }
}
