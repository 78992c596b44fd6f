package dev.llmgateway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.TokenRejectedException;
import dev.llmgateway.TokenRejectedException.Reason;
import dev.llmgateway.core.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a token is refused is its own {@link Reason}, and no refusal quotes the token, a part
 * of it or the subject.
 */
@Timeout(60)
class JwtRejectionTest {
  private static final MutableClock CLOCK = new MutableClock(Tokens.NOW);
  private static final JwtAuthenticator AUTH = JwtAuthenticator.builder()
      .issuer(Tokens.ISSUER, issuer -> issuer
          .publicKey(Tokens.RSA.getKeyID(), Tokens.rsaPublic(Tokens.RSA))
          .audience("llm-gateway"))
      .issuer("https://hmac.test", issuer -> issuer.hmacSecret(Tokens.SECRET))
      .clock(CLOCK)
      .build();

  private static JWTClaimsSet.Builder valid() {
    return Tokens.claims().audience("llm-gateway");
  }

  /** Each case: a token and the reason it must be refused for. */
  static Stream<Arguments> refusedTokens() throws Exception {
    Map<String, Object[]> cases = new LinkedHashMap<>();
    cases.put("expired beyond the skew", new Object[] {Tokens.rs256(valid()
        .expirationTime(Date.from(Tokens.NOW.minusSeconds(61))).build()), Reason.EXPIRED});
    cases.put("without exp", new Object[] {Tokens.rs256(valid().expirationTime(null).build()),
        Reason.MISSING_EXPIRY});
    cases.put("not yet valid", new Object[] {Tokens.rs256(valid()
        .notBeforeTime(Date.from(Tokens.NOW.plusSeconds(120))).build()), Reason.NOT_YET_VALID});
    cases.put("of a wrong (unknown) issuer", new Object[] {Tokens.rs256(valid()
        .issuer("https://evil.test").build()), Reason.UNKNOWN_ISSUER});
    cases.put("without iss", new Object[] {Tokens.rs256(valid().issuer(null).build()),
        Reason.MISSING_ISSUER});
    cases.put("for another audience", new Object[] {Tokens.rs256(valid().audience("other")
        .build()), Reason.WRONG_AUDIENCE});
    cases.put("without aud", new Object[] {Tokens.rs256(Tokens.claims().build()),
        Reason.WRONG_AUDIENCE});
    cases.put("signed by another key under the issuer's kid", new Object[] {Tokens.sign(
        new RSASSASigner(Tokens.RSA_2), Tokens.header(JWSAlgorithm.RS256, "rsa-1"),
        valid().build()), Reason.BAD_SIGNATURE});
    String good = Tokens.rs256(valid().build());
    String[] parts = good.split("\\.");
    String otherPayload = Base64URL.encode(valid().subject("admin").build().toString()
        .getBytes(StandardCharsets.UTF_8)).toString();
    cases.put("with an altered payload", new Object[] {parts[0] + "." + otherPayload + "."
        + parts[2], Reason.BAD_SIGNATURE});
    cases.put("unsigned (alg none)", new Object[] {Base64URL.encode("{\"alg\":\"none\"}")
        + "." + parts[1] + ".", Reason.ALGORITHM_NOT_ALLOWED});
    cases.put("unsigned (alg none) with a signature part", new Object[] {
        Base64URL.encode("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2],
        Reason.ALGORITHM_NOT_ALLOWED});
    cases.put("HS256 keyed with the issuer's RSA public key (algorithm confusion)", new Object[] {
        Tokens.sign(new MACSigner(Tokens.RSA.toRSAPublicKey().getEncoded()),
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), valid().build()),
        Reason.ALGORITHM_NOT_ALLOWED});
    cases.put("HS256 keyed with the issuer's JWK text (algorithm confusion)", new Object[] {
        Tokens.sign(new MACSigner(Tokens.RSA.toPublicJWK().toJSONString()
            .getBytes(StandardCharsets.UTF_8)), new JWSHeader(JWSAlgorithm.HS256),
            valid().build()), Reason.ALGORITHM_NOT_ALLOWED});
    cases.put("signed with an unknown key id", new Object[] {Tokens.rs256(Tokens.RSA_2,
        valid().build()), Reason.UNKNOWN_KEY_ID});
    cases.put("that is no JWT", new Object[] {"not-a-jwt", Reason.MALFORMED});
    cases.put("of three parts that are no JSON", new Object[] {"abc.def.ghi", Reason.MALFORMED});
    cases.put("encrypted (JWE)", new Object[] {Base64URL.encode(
        "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A128GCM\"}") + ".a.b.c.d", Reason.MALFORMED});
    cases.put("longer than 16 KiB", new Object[] {Tokens.rs256(valid()
        .claim("padding", "x".repeat(17 * 1024)).build()), Reason.MALFORMED});
    return cases.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()[0],
        e.getValue()[1]));
  }

  @ParameterizedTest(name = "a token {0} is refused as {2}")
  @MethodSource("refusedTokens")
  void eachRefusalHasItsReasonAndQuotesNoToken(String what, String token, Reason reason) {
    TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class,
        () -> AUTH.authenticate(Caller.bearerToken(token)));

    assertThat(e).as(what).isNotNull();
    assertThat(e.rejection()).as(what).isEqualTo(reason);
    assertThat(e.getCause()).isNull();
    assertThat(e.isRetriable()).isFalse();
    for (String text : new String[] {e.getMessage(), e.toString()}) {
      assertThat(text).doesNotContain(token).doesNotContain("user-42").doesNotContain("admin");
      for (String part : token.split("\\.")) {
        if (part.length() > 8) {
          assertThat(text).doesNotContain(part);
        }
      }
    }
  }

  @Test
  void theRefusalsAreTwelveDistinctReasons() throws Exception {
    Set<Reason> seen = EnumSet.noneOf(Reason.class);
    refusedTokens().forEach(a -> seen.add((Reason) a.get()[2]));
    seen.add(Reason.NOT_A_BEARER_TOKEN); // below
    seen.add(Reason.KEYS_UNAVAILABLE); // JwksServerTest
    assertThat(seen).containsExactlyInAnyOrder(Reason.values());
  }

  @Test
  void aTokenExpiredWithinTheSkewIsAccepted() {
    String token = Tokens.rs256(valid()
        .expirationTime(Date.from(Tokens.NOW.minusSeconds(59))).build());
    assertThat(AUTH.authenticate(Caller.bearerToken(token)).userId()).isEqualTo("user-42");
  }

  @Test
  void aTokenOfOneIssuerClaimingAnotherIsCheckedWithTheClaimedIssuersKeysOnly() {
    // signed with the HMAC issuer's secret, claiming the RSA issuer: its algorithms refuse it
    String claimsRsaIssuer = Tokens.hs256(Tokens.SECRET, valid().build());
    assertThat(rejection(claimsRsaIssuer)).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
    // signed with the RSA issuer's key, claiming the HMAC issuer
    String claimsHmacIssuer = Tokens.rs256(valid().issuer("https://hmac.test").build());
    assertThat(rejection(claimsHmacIssuer)).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
    // signed with another secret, claiming the HMAC issuer
    String otherSecret = Tokens.hs256("another-secret-of-at-least-32-bytes!!!!"
        .getBytes(StandardCharsets.UTF_8), valid().issuer("https://hmac.test").build());
    assertThat(rejection(otherSecret)).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void onlyBearerTokensAreCheckedAndAnythingElseIsSaidSo() {
    for (Caller other : new Caller[] {Caller.apiKey("gw-123456789"), Principal.ANONYMOUS,
        Principal.of("team", "user")}) {
      TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class,
          () -> AUTH.authenticate(other));
      assertThat(e.rejection()).isEqualTo(Reason.NOT_A_BEARER_TOKEN);
      assertThat(e.getMessage()).contains("bearer tokens (JWTs) only").doesNotContain("gw-123");
    }
  }

  private static Reason rejection(String token) {
    return catchThrowableOfType(TokenRejectedException.class,
        () -> AUTH.authenticate(Caller.bearerToken(token))).rejection();
  }
}
