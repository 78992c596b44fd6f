package dev.llmgateway.providers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The OkHttp client the transports use when you give them none: sized for many concurrent calls
 * (OkHttp's defaults allow 5 per host) and with OkHttp's silent re-send of a request after a
 * connection failure turned off, so that every attempt is the gateway's own, counted and metered.
 *
 * <p>To use your own client (proxy, TLS trust, mTLS, interceptors), derive it from {@link
 * #defaults()} with {@code newBuilder()} so it shares this connection pool and dispatcher, or pass
 * any client you like to a transport's builder.
 */
public final class HttpClients {
  /** Concurrent requests per host the default dispatcher allows. */
  public static final int MAX_REQUESTS_PER_HOST = 256;

  /** Concurrent requests in all the default dispatcher allows. */
  public static final int MAX_REQUESTS = 1024;

  /** Idle connections the default pool keeps. */
  public static final int MAX_IDLE_CONNECTIONS = 64;

  private static final OkHttpClient DEFAULTS = newDefault();

  private HttpClients() {}

  /** The shared default client (thread-safe, like every OkHttp client). */
  public static OkHttpClient defaults() {
    return DEFAULTS;
  }

  private static OkHttpClient newDefault() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(MAX_REQUESTS);
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, 5, TimeUnit.MINUTES))
        .retryOnConnectionFailure(false)
        .connectTimeout(Duration.ofSeconds(10))
        // the gateway enforces attempt, total and idle timeouts on its own timers (by default ten
        // minutes for a chat call and for a stream's quiet gap); the read timeout matches them, a
        // backstop for a transport called without a gateway
        .readTimeout(Duration.ofMinutes(10))
        .writeTimeout(Duration.ofSeconds(30))
        .callTimeout(Duration.ZERO)
        .build();
  }
}
