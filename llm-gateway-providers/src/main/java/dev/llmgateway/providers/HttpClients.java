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
 * <p>It has a connect timeout (10 s) and no read, write or call timeout: deadlines are the
 * gateway's, enforced on its own timers, which cancel the HTTP call when they fire (a transport's
 * attempt deadline, a stream's first-token and idle limits). A transport used without a gateway
 * and without a deadline in its {@link dev.llmgateway.spi.AttemptContext} waits as long as the
 * server keeps the connection open.
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
        // no read or write timeout: the gateway bounds every call on its own timers (attempt and
        // total deadlines, a stream's first-token and idle limits; by default ten minutes for a
        // chat call and for a stream's quiet gap) and cancels the call when one fires. okio arms
        // a socket timeout through AsyncTimeout, whose one JVM-wide lock every socket read and
        // write would then take on entry, waking its watchdog thread
        .readTimeout(Duration.ZERO)
        .writeTimeout(Duration.ZERO)
        .callTimeout(Duration.ZERO)
        .build();
  }
}
