package dev.llmgateway.providers;

import dev.llmgateway.spi.ModelCapabilities;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The shared settings of an HTTP transport, as {@link HttpProviderBuilder} hands them over.
 * Immutable; {@link #toString()} never prints the credential's secret.
 *
 * @param name the provider's unique name
 * @param baseUrl the API's base URL
 * @param credential where the key is read at send time
 * @param client the OkHttp client
 * @param executor the stream executor, or null for a pool the provider owns
 * @param clock for {@code Retry-After} dates
 * @param headers headers sent with every request
 * @param capabilities per-model capabilities
 * @param defaultCapabilities capabilities of other models
 * @param logProviderErrorBodies whether error bodies are logged at DEBUG (unsafe for production:
 *     see {@link HttpProviderBuilder#logProviderErrorBodies(boolean)})
 * @param readLimits how much of an answer is read
 */
public record HttpSettings(String name, HttpUrl baseUrl, Credential credential,
    OkHttpClient client, @Nullable Executor executor, Clock clock, Map<String, String> headers,
    Map<String, ModelCapabilities> capabilities, ModelCapabilities defaultCapabilities,
    boolean logProviderErrorBodies,
    ReadLimits readLimits) {

  /** The configured executor, or a new pool of daemon threads the caller owns and must close. */
  public Executor executorOrNewPool() {
    if (executor != null) {
      return executor;
    }
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "llm-gateway-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The pool {@link #executorOrNewPool()} created, for the provider to close; else null. */
  public @Nullable ExecutorService ownedPool(Executor chosen) {
    return chosen != executor && chosen instanceof ExecutorService pool ? pool : null;
  }

  @Override
  public String toString() {
    return "HttpSettings[name=" + name + ", baseUrl=" + baseUrl + ", credential=" + credential
        + ", headers=" + headers.keySet() + ", " + readLimits
        + (logProviderErrorBodies ? ", logProviderErrorBodies" : "") + "]";
  }
}
