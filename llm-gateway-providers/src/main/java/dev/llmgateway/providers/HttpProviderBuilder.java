package dev.llmgateway.providers;

import dev.llmgateway.spi.ModelCapabilities;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings every HTTP transport's builder shares: name, base URL, credential, OkHttp client,
 * stream executor, clock, static headers, per-model capabilities, how much of an answer is read
 * ({@link ReadLimits}) and the debug log of error bodies. Each transport's builder extends it and
 * adds what its wire format needs; a third-party transport may do the same. Not thread-safe;
 * reusable.
 *
 * <p><b>The key.</b> A builder for a hosted API (OpenAI, Anthropic, Gemini, Azure OpenAI, Groq,
 * Mistral, ...) reads the API's conventional environment variable when neither {@link #apiKey}
 * nor {@link #credential} was called, as the official SDKs do ({@code OPENAI_API_KEY}, {@code
 * ANTHROPIC_API_KEY}, {@code GOOGLE_API_KEY} then {@code GEMINI_API_KEY}, {@code
 * AZURE_OPENAI_API_KEY}; each preset names its own), once, in {@code build()}; when that is unset
 * too, {@code build()} fails with an {@link IllegalStateException} naming the provider and the
 * variable, rather than the first call with a 401. The key is sent to whatever base URL is set.
 * For an endpoint that takes no key, use a local preset ({@code OpenAiPresets.ollama()}, {@code
 * vllm(url)}), which reads and needs none, or {@code credential(Credential.NONE)}. Where the
 * variables are read is {@link #environment} ({@code System::getenv} by default). A key, however
 * it was given, appears in no {@code toString()}, exception or log line.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class HttpProviderBuilder<B extends HttpProviderBuilder<B>> {
  private String name;
  private static final Logger log = LoggerFactory.getLogger(HttpProviderBuilder.class);

  private HttpUrl baseUrl;
  private @Nullable Credential credential; // null: read keyVariables from the environment
  private List<String> keyVariables = List.of();
  private Function<String, @Nullable String> environment = System::getenv;
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

  /**
   * A fixed API key, sent in the format's auth header. Leave it out to read the API's conventional
   * environment variable (see the class description).
   *
   * @throws IllegalArgumentException when the key is null (as {@code System.getenv} returns for an
   *     unset variable), blank or holds a space, a line break or a non-ASCII character; the message
   *     names the provider and this setting, never the key
   */
  public B apiKey(String apiKey) {
    try {
      this.credential = Credential.of(apiKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": apiKey(...): " + e.getMessage() + "; "
          + (keyVariables.isEmpty() ? "leave apiKey(...) out if the endpoint takes no key"
              : "leave apiKey(...) out to read " + variables() + " from the environment"), e);
    }
    return self();
  }

  /**
   * Where to read the key or token at send time (rotating keys, OAuth / Entra ID tokens); {@link
   * Credential#NONE} for an endpoint that takes none.
   */
  public B credential(Credential credential) {
    this.credential = Objects.requireNonNull(credential, "credential");
    return self();
  }

  /**
   * Where the key's conventional environment variables are read when neither {@link #apiKey} nor
   * {@link #credential} is set: {@code System::getenv} by default; e.g. {@code
   * System::getProperty}, a map in tests, or your configuration's lookup. Called in {@code build()}
   * only, with the variables' names; a null or blank answer means unset.
   */
  public B environment(Function<String, @Nullable String> lookup) {
    this.environment = Objects.requireNonNull(lookup, "lookup");
    return self();
  }

  /**
   * The API's conventional environment variables for its key, in order of precedence, which
   * {@code build()} reads when no key or credential is set and requires one of; none (the
   * default) for an endpoint that takes no key. For a transport's or preset's builder.
   */
  protected final B keyVariables(String... variables) {
    List<String> names = new ArrayList<>(variables.length);
    for (String v : variables) {
      if (Objects.requireNonNull(v, "variable").isBlank()) {
        throw new IllegalArgumentException("a variable name must not be blank");
      }
      names.add(v);
    }
    this.keyVariables = List.copyOf(names);
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

  /**
   * A snapshot of the shared settings, for the transport's constructor; the key read from the
   * environment when none was set (see the class description).
   *
   * @throws IllegalStateException when the API needs a key and none was set nor is in the
   *     environment, or the environment's is not a key an HTTP header can carry
   */
  protected final HttpSettings settings() {
    return new HttpSettings(name, baseUrl, credential != null ? credential : environmentKey(),
        client != null ? client : HttpClients.defaults(), executor, clock, Map.copyOf(headers),
        Map.copyOf(capabilities), defaultCapabilities, logProviderErrorBodies, readLimits);
  }

  /** The first of the key variables that is set, else {@link Credential#NONE} if none is needed. */
  private Credential environmentKey() {
    if (keyVariables.isEmpty()) {
      return Credential.NONE;
    }
    String chosen = null;
    String key = null;
    for (String variable : keyVariables) {
      String value = environment.apply(variable);
      if (value == null || value.isBlank()) {
        continue;
      }
      value = value.strip();
      if (key == null) {
        chosen = variable;
        key = value;
      } else if (!key.equals(value)) {
        log.warn("{}: {} and {} are both set, to different keys; using {}", name, chosen, variable,
            chosen);
      }
    }
    if (key == null) {
      throw new IllegalStateException(name + " needs an API key, but none was given and "
          + (keyVariables.size() == 1
              ? "the environment variable " + keyVariables.get(0) + " is not set: set it"
              : "none of the environment variables " + String.join(", ", keyVariables)
                  + " is set: set one (the first wins when several are)")
          + ", or call apiKey(...) or credential(...) on the provider's builder"
          + " (credential(Credential.NONE) for an endpoint that takes no key)");
    }
    String problem = Keys.problem(key);
    if (problem != null) {
      throw new IllegalStateException(name + ": the environment variable " + chosen + " "
          + problem);
    }
    return new EnvironmentKey(chosen, key);
  }

  /** The key variables for a message: {@code A}, {@code A or B}. */
  private String variables() {
    return String.join(" or ", keyVariables);
  }
}
