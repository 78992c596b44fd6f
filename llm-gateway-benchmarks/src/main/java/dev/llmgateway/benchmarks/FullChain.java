package dev.llmgateway.benchmarks;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.core.CircuitBreakerPolicy;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.HedgePolicy;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.RetryPolicy;
import dev.llmgateway.core.Route;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The full-chain arm of every benchmark ({@code B}): every capability that exists, configured as a
 * production user would, each new capability adding itself here so its price is always known.
 * Today: an authenticator (API-key callers), an alias with a fallback route that hedges after 10 s,
 * an around-attempt interceptor adding {@code traceparent}, a listener, a usage sink; retries (3
 * attempts, 200 ms to 5 s backoff), circuit breakers (the defaults), attempt, first-token, idle and
 * total timeouts — armed, never triggered by the benchmarks.
 */
public final class FullChain {
  /** The API key the arm's caller presents. */
  public static final String API_KEY = "gw-key-benchmark";
  /** The alias the arm's requests name. */
  public static final String ALIAS = "smart";
  /** The trace header the around-attempt interceptor adds. */
  public static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private FullChain() {}

  /** The caller of the arm's calls. */
  public static Caller caller() {
    return Caller.apiKey(API_KEY);
  }

  /**
   * Adds every capability to a builder that already has its provider(s).
   *
   * @param primary the alias's first deployment ({@code provider/model})
   * @param fallback its second
   */
  public static GatewayBuilder configure(GatewayBuilder builder, String primary,
      String fallback) {
    Map<String, Principal> keys = Map.of(API_KEY,
        Principal.builder().org("acme").team("search").keyId("key-1").build());
    LongAdder calls = new LongAdder();
    LongAdder tokens = new LongAdder();
    return builder
        .alias(ALIAS, Route.fallback(primary, fallback)
            .hedge(HedgePolicy.after(Duration.ofSeconds(10))))
        .authenticator(credential -> {
          Principal p = credential instanceof Caller.ApiKey k ? keys.get(k.secret()) : null;
          if (p == null) {
            throw new AuthenticationException("unknown API key");
          }
          return p;
        })
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
          chain.attempt().header("traceparent", TRACEPARENT);
          return chain.proceed(chain.request());
        })
        .listener(new GatewayListener() {
          @Override
          public void onCallStart(CallContext call) {
            calls.increment();
          }
        })
        .usageSink(record -> tokens.add(record.usage().totalTokens()))
        .retry(RetryPolicy.builder().maxAttempts(3)
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(5)).build())
        .circuitBreaker(CircuitBreakerPolicy.defaults())
        .attemptTimeout(Duration.ofSeconds(30))
        .firstTokenTimeout(Duration.ofSeconds(10))
        .idleTimeout(Duration.ofSeconds(30))
        .totalTimeout(Duration.ofSeconds(60));
  }
}
