package dev.llmgateway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.TokenRejectedException;
import dev.llmgateway.TokenRejectedException.Reason;
import dev.llmgateway.core.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tokens accepted (HS256, RS256, ES256), their claims mapped, verified tokens remembered. */
@Timeout(60)
class JwtAuthenticatorTest {
  private final MutableClock clock = new MutableClock(Tokens.NOW);

  private JwtAuthenticator.Builder rsaIssuer() {
    return JwtAuthenticator.builder().clock(clock)
        .issuer(Tokens.ISSUER, issuer -> issuer.jwkSet(Tokens.jwks(Tokens.RSA, Tokens.EC)));
  }

  @Test
  void acceptsHs256Rs256AndEs256TokensOfTheirIssuers() {
    JwtAuthenticator auth = JwtAuthenticator.builder().clock(clock)
        .issuer("https://hmac.test", issuer -> issuer.hmacSecret(Tokens.SECRET))
        .issuer("https://rsa.test", issuer -> issuer
            .publicKey("rsa-1", Tokens.rsaPublic(Tokens.RSA)))
        .issuer("https://ec.test", issuer -> issuer.publicKey("ec-1", Tokens.ecPublic(Tokens.EC)))
        .build();

    assertThat(auth.authenticate(Caller.bearerToken(Tokens.hs256(Tokens.SECRET,
        Tokens.claims().issuer("https://hmac.test").build()))).userId()).isEqualTo("user-42");
    assertThat(auth.authenticate(Caller.bearerToken(Tokens.rs256(
        Tokens.claims().issuer("https://rsa.test").build()))).attributes())
        .containsEntry("iss", "https://rsa.test");
    assertThat(auth.authenticate(Caller.bearerToken(Tokens.es256(
        Tokens.claims().issuer("https://ec.test").build()))).userId()).isEqualTo("user-42");
    assertThat(auth.issuers())
        .containsExactlyInAnyOrder("https://hmac.test", "https://rsa.test", "https://ec.test");
  }

  @Test
  void aJwkSetWithRsaAndEcKeysAllowsRs256AndEs256() {
    JwtAuthenticator auth = rsaIssuer().build();
    assertThat(auth.authenticate(Caller.bearerToken(Tokens.rs256(Tokens.claims().build()))))
        .isNotNull();
    assertThat(auth.authenticate(Caller.bearerToken(Tokens.es256(Tokens.claims().build()))))
        .isNotNull();
  }

  @Test
  void claimsMapOntoThePrincipal() {
    JwtAuthenticator auth = rsaIssuer()
        .teamChooser(groups -> groups.get(groups.size() - 1))
        .attributeClaims("plan", "regions")
        .build();
    JWTClaimsSet claims = Tokens.claims()
        .jwtID("tok-7")
        .claim("org_id", "acme")
        .claim("groups", List.of("support", "billing"))
        .claim("project", "helpdesk")
        .claim("scope", "chat  embed")
        .claim("scp", List.of("admin"))
        .claim("plan", "gold")
        .claim("regions", List.of("eu", "us"))
        .build();

    Principal p = auth.authenticate(Caller.bearerToken(Tokens.rs256(claims)));

    assertThat(p.orgId()).isEqualTo("acme");
    assertThat(p.teamId()).isEqualTo("billing");
    assertThat(p.projectId()).isEqualTo("helpdesk");
    assertThat(p.userId()).isEqualTo("user-42");
    assertThat(p.keyId()).isEqualTo("tok-7");
    assertThat(p.scopes()).containsExactlyInAnyOrder("chat", "embed", "admin");
    assertThat(p.attributes()).isEqualTo(
        Map.of("plan", "gold", "regions", "eu,us", "iss", Tokens.ISSUER));
  }

  @Test
  void claimNamesAreConfigurableAndTheKeyIdWithoutJtiIsAHashNeverTheSubject() {
    JwtAuthenticator auth = rsaIssuer()
        .orgClaim("tenant").teamClaim("team").userClaim("email").projectClaim(null)
        .scopeClaims("permissions")
        .build();
    Principal p = auth.authenticate(Caller.bearerToken(Tokens.rs256(Tokens.claims()
        .claim("tenant", "globex").claim("team", "ops").claim("email", "ann@example.com")
        .claim("project", "ignored").claim("permissions", List.of("chat")).build())));

    assertThat(p.orgId()).isEqualTo("globex");
    assertThat(p.teamId()).isEqualTo("ops");
    assertThat(p.userId()).isEqualTo("ann@example.com");
    assertThat(p.projectId()).isNull();
    assertThat(p.scopes()).containsExactly("chat");
    assertThat(p.keyId()).matches("jwt-[0-9a-f]{16}");
    assertThat(p.toString()).doesNotContain("ann@example.com").doesNotContain("user-42");
  }

  @Test
  void aHotTokenIsVerifiedOnceAndRememberedUntilItExpires() {
    JwtAuthenticator auth = rsaIssuer().build();
    String token = Tokens.rs256(Tokens.claims()
        .expirationTime(Date.from(Tokens.NOW.plusSeconds(120))).build());

    Principal first = auth.authenticate(Caller.bearerToken(token));
    for (int i = 0; i < 100; i++) {
      assertThat(auth.authenticate(Caller.bearerToken(token))).isEqualTo(first);
    }
    assertThat(auth.verifications()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(121)); // past exp, within the skew: verified again
    assertThat(auth.authenticate(Caller.bearerToken(token))).isEqualTo(first);
    assertThat(auth.verifications()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(60)); // past exp + skew: refused, never from the cache
    assertThat(catchThrowableOfType(TokenRejectedException.class,
        () -> auth.authenticate(Caller.bearerToken(token))).rejection()).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void theCacheKeepsATokenNoLongerThanItsMaximumTimeToLive() {
    JwtAuthenticator auth = rsaIssuer().cacheMaxTtl(Duration.ofSeconds(30)).build();
    String token = Tokens.rs256(Tokens.claims().build());

    auth.authenticate(Caller.bearerToken(token));
    clock.advance(Duration.ofSeconds(29));
    auth.authenticate(Caller.bearerToken(token));
    assertThat(auth.verifications()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    auth.authenticate(Caller.bearerToken(token));
    assertThat(auth.verifications()).isEqualTo(2);
  }

  @Test
  void aCacheOfSizeZeroVerifiesEveryTime() {
    JwtAuthenticator auth = rsaIssuer().cacheSize(0).build();
    String token = Tokens.rs256(Tokens.claims().build());
    auth.authenticate(Caller.bearerToken(token));
    auth.authenticate(Caller.bearerToken(token));
    assertThat(auth.verifications()).isEqualTo(2);
  }

  @Test
  void refusedTokensAreNotRemembered() {
    JwtAuthenticator auth = rsaIssuer().build();
    String early = Tokens.rs256(Tokens.claims()
        .notBeforeTime(Date.from(Tokens.NOW.plusSeconds(300))).build());
    assertThatThrownBy(() -> auth.authenticate(Caller.bearerToken(early)))
        .isInstanceOf(TokenRejectedException.class);
    clock.advance(Duration.ofSeconds(300));
    assertThat(auth.authenticate(Caller.bearerToken(early))).isNotNull();
  }

  @Test
  void theBuilderRefusesConflictingOrWeakSettings() throws JOSEException {
    assertThatThrownBy(() -> JwtAuthenticator.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one issuer");
    assertThatThrownBy(() -> JwtAuthenticator.builder()
        .issuer("a", i -> i.hmacSecret(Tokens.SECRET).jwksUri(URI.create("https://a/keys")))
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("hmacSecret").hasMessageContaining("jwksUri");
    assertThatThrownBy(() -> JwtAuthenticator.builder()
        .issuer("a", i -> i.jwksUri(URI.create("https://a/keys"))
            .algorithms(JwtAlgorithm.RS256, JwtAlgorithm.HS256)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("algorithm confusion");
    assertThatThrownBy(() -> JwtAuthenticator.builder()
        .issuer("a", i -> i.hmacSecret(Tokens.SECRET).algorithms(JwtAlgorithm.RS256)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("HS256 only");
    assertThatThrownBy(() -> JwtAuthenticator.builder()
        .issuer("a", i -> i.hmacSecret(new byte[16])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> JwtAuthenticator.builder()
        .issuer("a", i -> i.jwkSet("{\"keys\":5}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
    RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
    assertThatThrownBy(() -> JwtAuthenticator.builder()
        .issuer("a", i -> i.jwkSet(Tokens.jwks(weak))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
    assertThatThrownBy(() -> JwtAuthenticator.builder().issuer("a", i -> { }).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no keys");
    assertThatThrownBy(() -> JwtAuthenticator.builder()
        .issuer("a", i -> i.jwksUri(URI.create("https://a/keys"))
            .keySetRefreshInterval(Duration.ofMinutes(5))).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("below keySetTtl");
    assertThatThrownBy(() -> JwtAuthenticator.builder().issuer("not-a-url", i -> i.discovery()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtAuthenticator.builder()
        .issuer("a", i -> i.hmacSecret(Tokens.SECRET)).issuer("a", i -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
  }

  @Test
  void toStringNamesIssuersAndClaimsButNoKey() {
    JwtAuthenticator auth = JwtAuthenticator.builder()
        .issuer("https://hmac.test", i -> i.hmacSecret(Tokens.SECRET).audience("gw"))
        .issuer(Tokens.ISSUER, i -> i.jwkSet(Tokens.jwks(Tokens.RSA)))
        .build();
    assertThat(auth.toString())
        .contains("https://hmac.test", Tokens.ISSUER, "HS256", "RS256", "audiences=[gw]")
        .doesNotContain(new String(Tokens.SECRET, StandardCharsets.UTF_8))
        .doesNotContain(Tokens.RSA.getModulus().toString());
    assertThat(Set.of(auth.issuers().toArray())).hasSize(2);
  }
}
