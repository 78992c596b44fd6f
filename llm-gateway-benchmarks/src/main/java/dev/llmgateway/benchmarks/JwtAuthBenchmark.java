package dev.llmgateway.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.core.auth.JwtAuthenticator;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a {@link JwtAuthenticator} costs per call for RS256 tokens (2048-bit key, a static JWK
 * set, about 400 characters of token):
 *
 * <ul>
 *   <li>{@code cached}: the same token every call, the cache of verified tokens on: a SHA-256 of
 *       the token and a Caffeine lookup;
 *   <li>{@code cold-cache-off}: the same token with {@code cacheSize(0)}: every call parses the
 *       token and verifies its signature and claims;
 *   <li>{@code cold-distinct}: 2,000 distinct tokens in turn through a cache of 100: every call
 *       misses, verifies, and puts its principal in the cache (the cost a new token pays).
 * </ul>
 *
 * <p>Run from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar JwtAuthBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtAuthBenchmark {
  private static final String ISSUER = "https://issuer.bench";

  @Param({"cached", "cold-cache-off", "cold-distinct"})
  public String arm;

  private JwtAuthenticator authenticator;
  private Caller[] callers;
  private int next;

  @Setup
  public void setUp() throws JOSEException {
    RSAKey key = new RSAKeyGenerator(2048).keyID("bench-1").generate();
    int tokens = arm.equals("cold-distinct") ? 2_000 : 1;
    int cacheSize = switch (arm) {
      case "cached" -> 10_000;
      case "cold-cache-off" -> 0;
      default -> 100;
    };
    authenticator = JwtAuthenticator.builder()
        .issuer(ISSUER, issuer -> issuer
            .jwkSet(new JWKSet(List.of(key)).toPublicJWKSet().toString())
            .audience("llm-gateway"))
        .cacheSize(cacheSize)
        .build();
    Instant now = Instant.now();
    callers = new Caller[tokens];
    for (int i = 0; i < tokens; i++) {
      JWTClaimsSet claims = new JWTClaimsSet.Builder()
          .issuer(ISSUER).subject("user-" + i).audience("llm-gateway").jwtID("jti-" + i)
          .claim("org_id", "acme").claim("groups", List.of("support"))
          .claim("scope", "chat embed")
          .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
          .build();
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench-1").build(), claims);
      jwt.sign(new RSASSASigner(key));
      callers[i] = Caller.bearerToken(jwt.serialize());
    }
    if (authenticator.authenticate(callers[0]).orgId() == null) {
      throw new IllegalStateException("the token's claims were not mapped");
    }
  }

  @Benchmark
  public Principal authenticate() {
    Caller caller = callers[next];
    next = next + 1 == callers.length ? 0 : next + 1;
    return authenticator.authenticate(caller);
  }
}
