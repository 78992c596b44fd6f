package dev.llmgateway.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Keys and tokens for the tests, made with nimbus. Keys are made once per JVM (RSA is slow). */
final class Tokens {
  static final String ISSUER = "https://issuer.test";
  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  static final byte[] SECRET =
      "a-shared-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
  static final RSAKey RSA = rsa("rsa-1");
  static final RSAKey RSA_2 = rsa("rsa-2");
  static final ECKey EC = ec("ec-1");

  private Tokens() {}

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static RSAPublicKey rsaPublic(RSAKey key) {
    try {
      return key.toRSAPublicKey();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECPublicKey ecPublic(ECKey key) {
    try {
      return key.toECPublicKey();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public JWK set document of these keys. */
  static String jwks(JWK... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
  }

  /** Claims valid at {@link #NOW}: issuer, subject, an hour to live. */
  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("user-42")
        .issueTime(Date.from(NOW))
        .expirationTime(Date.from(NOW.plusSeconds(3600)));
  }

  static String rs256(RSAKey key, JWTClaimsSet claims) {
    return sign(new RSASSASigner(privateKey(key)), header(JWSAlgorithm.RS256, key.getKeyID()),
        claims);
  }

  static String rs256(JWTClaimsSet claims) {
    return rs256(RSA, claims);
  }

  static String es256(JWTClaimsSet claims) {
    try {
      return sign(new ECDSASigner(EC), header(JWSAlgorithm.ES256, EC.getKeyID()), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hs256(byte[] secret, JWTClaimsSet claims) {
    try {
      return sign(new MACSigner(secret), new JWSHeader(JWSAlgorithm.HS256), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrivateKey privateKey(RSAKey key) {
    try {
      return key.toPrivateKey();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static JWSHeader header(JWSAlgorithm algorithm, String kid) {
    return new JWSHeader.Builder(algorithm).keyID(kid).build();
  }

  static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
