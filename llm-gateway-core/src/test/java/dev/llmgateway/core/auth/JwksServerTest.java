package dev.llmgateway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmgateway.Caller;
import dev.llmgateway.TokenRejectedException;
import dev.llmgateway.TokenRejectedException.Reason;
import dev.llmgateway.core.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keys fetched over HTTP from the JDK's own server on a free port: JWKS rotation, the refresh rate
 * limit under a flood of unknown key ids, OpenID Connect discovery, and fetch failures.
 */
@Timeout(60)
class JwksServerTest {
  private final MutableClock clock = new MutableClock(Tokens.NOW);
  private final AtomicReference<String> jwks = new AtomicReference<>(Tokens.jwks(Tokens.RSA));
  private final AtomicInteger jwksStatus = new AtomicInteger(200);
  private final AtomicReference<String> discovery = new AtomicReference<>();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final AtomicInteger discoveryFetches = new AtomicInteger();
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks", exchange -> {
      jwksFetches.incrementAndGet();
      answer(exchange, jwksStatus.get(), jwks.get());
    });
    server.createContext("/.well-known/openid-configuration", exchange -> {
      discoveryFetches.incrementAndGet();
      answer(exchange, 200, discovery.get());
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    discovery.set("{\"issuer\":\"" + base + "\",\"jwks_uri\":\"" + base + "/jwks\"}");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private JwtAuthenticator jwksAuthenticator(Duration refreshInterval, Duration ttl) {
    return JwtAuthenticator.builder().clock(clock)
        .issuer(Tokens.ISSUER, issuer -> issuer.jwksUri(URI.create(base + "/jwks"))
            .keySetRefreshInterval(refreshInterval).keySetTtl(ttl))
        .build();
  }

  private static Reason rejection(JwtAuthenticator auth, String token) {
    TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class,
        () -> auth.authenticate(Caller.bearerToken(token)));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).doesNotContain(token);
    return e.rejection();
  }

  @Test
  void aRotatedKeyIsAcceptedOnceTheJwksPublishesIt() {
    JwtAuthenticator auth = jwksAuthenticator(Duration.ofSeconds(30), Duration.ofMinutes(5));
    assertThat(auth.authenticate(Caller.bearerToken(Tokens.rs256(Tokens.claims().build()))))
        .isNotNull();
    assertThat(jwksFetches).hasValue(1);

    jwks.set(Tokens.jwks(Tokens.RSA_2)); // the issuer rotates: rsa-2 in, rsa-1 out
    String rotated = Tokens.rs256(Tokens.RSA_2, Tokens.claims().build());
    assertThat(auth.authenticate(Caller.bearerToken(rotated)).userId()).isEqualTo("user-42");
    assertThat(jwksFetches).hasValue(2);

    // the key set is the new one now; its tokens need no more fetches
    auth.authenticate(Caller.bearerToken(Tokens.rs256(Tokens.RSA_2,
        Tokens.claims().subject("other").build())));
    assertThat(jwksFetches).hasValue(2);
  }

  @Test
  void aFloodOfUnknownKeyIdsFetchesTheJwksAtMostTwicePerInterval() throws Exception {
    JwtAuthenticator auth = jwksAuthenticator(Duration.ofHours(1), Duration.ofHours(2));
    List<String> flood = unknownKidTokens(1_000);

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Reason>> results = new ArrayList<>();
      for (String token : flood) {
        results.add(pool.submit(() -> rejection(auth, token)));
      }
      for (Future<Reason> result : results) {
        assertThat(result.get()).isEqualTo(Reason.UNKNOWN_KEY_ID);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(jwksFetches.get()).isBetween(1, 2);
    // and the issuer's real tokens still pass, from the cached key set
    assertThat(auth.authenticate(Caller.bearerToken(Tokens.rs256(Tokens.claims().build()))))
        .isNotNull();
    assertThat(jwksFetches.get()).isBetween(1, 2);
  }

  @Test
  void overSeveralShortIntervalsTheFloodStillFetchesAtMostTwicePerInterval() {
    // the interval shortened to 100 ms, and the flood kept up for at least five of them
    Duration interval = Duration.ofMillis(100);
    JwtAuthenticator auth = jwksAuthenticator(interval, Duration.ofSeconds(10));
    List<String> flood = unknownKidTokens(1_000);
    long start = System.nanoTime();
    int sent = 0;
    while (sent < flood.size() || System.nanoTime() - start < 5 * interval.toNanos()) {
      assertThat(rejection(auth, flood.get(sent % flood.size()))).isEqualTo(Reason.UNKNOWN_KEY_ID);
      sent++;
    }
    long intervals = (System.nanoTime() - start) / interval.toNanos() + 1;

    assertThat(sent).isGreaterThanOrEqualTo(1_000);
    assertThat((long) jwksFetches.get()).isBetween(1L, 2 * intervals);
  }

  /** Tokens of the issuer with random key ids; their signatures are never reached. */
  private static List<String> unknownKidTokens(int count) {
    String payload = Base64URL.encode(Tokens.claims().build().toString()).toString();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String header = Base64URL.encode(Tokens.header(JWSAlgorithm.RS256, "kid-" + i + "-"
          + ThreadLocalRandom.current().nextLong()).toString()).toString();
      byte[] signature = new byte[256];
      ThreadLocalRandom.current().nextBytes(signature);
      tokens.add(header + "." + payload + "." + Base64URL.encode(signature));
    }
    return tokens;
  }

  @Test
  void anOidcIssuersKeysComeFromTheJwksUriOfItsDiscoveryDocument() {
    JwtAuthenticator auth = JwtAuthenticator.builder().clock(clock)
        .issuer(base, issuer -> issuer.discovery().audience("llm-gateway"))
        .build();
    JWTClaimsSet claims = Tokens.claims().issuer(base).audience("llm-gateway").build();

    for (int i = 0; i < 3; i++) {
      assertThat(auth.authenticate(Caller.bearerToken(Tokens.rs256(
          new JWTClaimsSet.Builder(claims).jwtID("t" + i).build()))).userId())
          .isEqualTo("user-42");
    }
    assertThat(discoveryFetches).hasValue(1);
    assertThat(jwksFetches).hasValue(1);
  }

  @Test
  void aDiscoveryDocumentNamingAnotherIssuerIsRefusedAndTriedAgainOncePerInterval() {
    discovery.set("{\"issuer\":\"https://impostor.test\",\"jwks_uri\":\"" + base + "/jwks\"}");
    JwtAuthenticator auth = JwtAuthenticator.builder().clock(clock)
        .issuer(base, issuer -> issuer.discovery())
        .build();
    String token = Tokens.rs256(Tokens.claims().issuer(base).build());

    TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class,
        () -> auth.authenticate(Caller.bearerToken(token)));
    assertThat(e.rejection()).isEqualTo(Reason.KEYS_UNAVAILABLE);
    assertThat(e.isRetriable()).isTrue();
    assertThat(e.getMessage()).contains("names another issuer than " + base);
    assertThat(rejection(auth, token)).isEqualTo(Reason.KEYS_UNAVAILABLE);
    assertThat(discoveryFetches).hasValue(1);
    assertThat(jwksFetches).hasValue(0);

    discovery.set("{\"issuer\":\"" + base + "\",\"jwks_uri\":\"" + base + "/jwks\"}");
    clock.advance(Duration.ofSeconds(31));
    assertThat(auth.authenticate(Caller.bearerToken(token))).isNotNull();
    assertThat(discoveryFetches).hasValue(2);
  }

  @Test
  void aJwksThatCannotBeFetchedRefusesTokensAsKeysUnavailable() {
    jwksStatus.set(500);
    JwtAuthenticator auth = jwksAuthenticator(Duration.ofSeconds(30), Duration.ofMinutes(5));
    String token = Tokens.rs256(Tokens.claims().build());
    TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class,
        () -> auth.authenticate(Caller.bearerToken(token)));
    assertThat(e.rejection()).isEqualTo(Reason.KEYS_UNAVAILABLE);
    assertThat(e.isRetriable()).isTrue();
    assertThat(e.getMessage()).contains(Tokens.ISSUER).doesNotContain(token);
  }

  @Test
  void aJwksLargerThanTheFetchLimitIsRefused() {
    jwks.set("{\"keys\":[],\"padding\":\"" + "x".repeat(4096) + "\"}");
    JwtAuthenticator auth = JwtAuthenticator.builder().clock(clock)
        .issuer(Tokens.ISSUER, issuer -> issuer.jwksUri(URI.create(base + "/jwks"))
            .maxFetchBytes(1024))
        .build();
    assertThat(rejection(auth, Tokens.rs256(Tokens.claims().build())))
        .isEqualTo(Reason.KEYS_UNAVAILABLE);
  }
}
