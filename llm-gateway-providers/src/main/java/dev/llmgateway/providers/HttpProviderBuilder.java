package dev.llmgateway.providers;

import dev.llmgateway.spi.ModelCapabilities;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The settings every HTTP transport's builder shares: name, base URL, credential, OkHttp client,
 * stream executor, clock, static headers, per-model capabilities, how much of an answer is read
 * ({@link ReadLimits}) and the debug log of error bodies. Each transport's builder extends it and
 * adds what its wire format needs; a third-party transport may do the same. Not thread-safe;
 * reusable.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class HttpProviderBuilder<B extends HttpProviderBuilder<B>> {
  private String name;
  private HttpUrl baseUrl;
  private Credential credential = Credential.NONE;
  private @Nullable OkHttpClient client;
  private @Nullable Executor executor;
  private Clock clock = Clock.systemUTC();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Map<String, ModelCapabilities> capabilities = new LinkedHashMap<>();
  private ModelCapabilities defaultCapabilities;
  private boolean logProviderErrorBodies;
  private ReadLimits readLimits = ReadLimits.defaults();

  /** A builder with the transport's defaults. */
  protected HttpProviderBuilder(String defaultName, String defaultBaseUrl,
      ModelCapabilities defaultCapabilities) {
    this.name = defaultName;
    this.baseUrl = HttpUrl.get(defaultBaseUrl);
    this.defaultCapabilities = defaultCapabilities;
  }

  /** This builder, typed as the concrete one. */
  protected abstract B self();

  /** Checks a base URL beyond its syntax (e.g. that it carries no key); throws to refuse it. */
  protected void checkBaseUrl(HttpUrl url) {}

  /** The provider's unique name in the gateway, the first half of its deployments. */
  public B name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "a provider name must be non-blank and contain no '/', was '" + name + "'");
    }
    this.name = name;
    return self();
  }

  /** The API's base URL. */
  public B baseUrl(String baseUrl) {
    HttpUrl url = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
    if (url == null) {
      throw new IllegalArgumentException("not an http(s) URL: '" + baseUrl + "'");
    }
    checkBaseUrl(url);
    this.baseUrl = url;
    return self();
  }

  /** A fixed API key, sent in the format's auth header. */
  public B apiKey(String apiKey) {
    this.credential = Credential.of(apiKey);
    return self();
  }

  /** Where to read the key or token at send time (rotating keys, OAuth / Entra ID tokens). */
  public B credential(Credential credential) {
    this.credential = Objects.requireNonNull(credential, "credential");
    return self();
  }

  /**
   * Your own OkHttp client (proxy, TLS trust, mTLS, interceptors). Turn its {@code
   * retryOnConnectionFailure} off, or OkHttp may re-send a POST behind the gateway's back. By
   * default {@link HttpClients#defaults()}.
   */
  public B httpClient(OkHttpClient client) {
    this.client = Objects.requireNonNull(client, "client");
    return self();
  }

  /**
   * The executor that reads streams and delivers their events; by default a pool of daemon threads
   * the provider owns and closes.
   */
  public B executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return self();
  }

  /** The clock for {@code Retry-After} dates. */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /** A header sent with every request. */
  public B header(String name, String value) {
    headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return self();
  }

  /** What one model can do (open model lists: Ollama, vLLM, OpenRouter). */
  public B capabilities(String model, ModelCapabilities capabilities) {
    this.capabilities.put(Objects.requireNonNull(model, "model"),
        Objects.requireNonNull(capabilities, "capabilities"));
    return self();
  }

  /** What models without capabilities of their own can do. */
  public B defaultCapabilities(ModelCapabilities capabilities) {
    this.defaultCapabilities = Objects.requireNonNull(capabilities, "capabilities");
    return self();
  }

  /**
   * Logs the body of every error the provider answers, whole (up to 16,384 characters; the key
   * replaced, nothing else), at DEBUG to the logger {@code dev.llmgateway.providers.ErrorBodies}
   * — for a developer reproducing a failure, <b>never in production</b>: a provider's error may
   * quote the prompt, and with it a social security or card number, an e-mail address or a secret.
   * Off by default, when exceptions, logs and usage records carry only what is safe of an error:
   * its HTTP status, the provider's error type and code, and a fixed text for the messages the
   * provider documents; any other message is replaced by "(provider message withheld; enable
   * logProviderErrorBodies to log it)". The body never reaches an exception or a record, even
   * when this is on.
   */
  public B logProviderErrorBodies(boolean enabled) {
    this.logProviderErrorBodies = enabled;
    return self();
  }

  /**
   * The most bytes a response body may have (default 32 MiB; an embeddings answer may also take
   * {@value ReadLimits#EMBEDDING_BYTES_PER_INPUT} bytes per input; a stream, this many characters
   * of content). A larger body fails the call with a {@link
   * dev.llmgateway.ResponseTooLargeException} once this much was read.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public B maxResponseBytes(long bytes) {
    this.readLimits = readLimits.withMaxResponseBytes(bytes);
    return self();
  }

  /**
   * The most bytes of an error body read and mapped (default 64 KiB); the rest is not read, and
   * the error maps from its first part.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public B maxErrorBodyBytes(int bytes) {
    this.readLimits = readLimits.withMaxErrorBodyBytes(bytes);
    return self();
  }

  /**
   * The most bytes one streamed event may have (default 1 MiB). A larger event ends the stream
   * with a {@link dev.llmgateway.ResponseTooLargeException} once this much was read.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public B maxSseEventBytes(int bytes) {
    this.readLimits = readLimits.withMaxSseEventBytes(bytes);
    return self();
  }

  /**
   * The most tool calls one answer may have (default 128); a streamed tool call's index must stay
   * below it. More fail the call with a {@link dev.llmgateway.ResponseTooLargeException}.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public B maxToolCalls(int count) {
    this.readLimits = readLimits.withMaxToolCalls(count);
    return self();
  }

  /** All the read limits at once (see {@link ReadLimits} for the defaults and why). */
  public B readLimits(ReadLimits limits) {
    this.readLimits = Objects.requireNonNull(limits, "limits");
    return self();
  }

  /** A snapshot of the shared settings, for the transport's constructor. */
  protected final HttpSettings settings() {
    return new HttpSettings(name, baseUrl, credential,
        client != null ? client : HttpClients.defaults(), executor, clock, Map.copyOf(headers),
        Map.copyOf(capabilities), defaultCapabilities, logProviderErrorBodies, readLimits);
  }
}
