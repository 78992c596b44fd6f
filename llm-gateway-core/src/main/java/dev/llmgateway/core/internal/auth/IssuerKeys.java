package dev.llmgateway.core.internal.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.Key;
import java.time.Clock;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key selector of one issuer, always restricted to the issuer's algorithms: an HMAC secret;
 * static public keys; a JWKS URL through nimbus' {@link JWKSourceBuilder} (cached for the key
 * set's time to live, refreshed when a token names an unknown {@code kid}, at most two fetches
 * per refresh interval, no refresh-ahead thread); or the JWKS URL the issuer's discovery document
 * names ({@link DiscoveredKeys}). Fetches are bounded in time and size by nimbus' {@link
 * DefaultResourceRetriever}.
 */
final class IssuerKeys {
  private IssuerKeys() {}

  static JWSKeySelector<SecurityContext> selector(JwtVerifier.IssuerSettings settings,
      Clock clock) {
    JWSKeySelector<SecurityContext> selector;
    if (settings.keys() instanceof JwtVerifier.Keys.Secret secret) {
      selector = new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256,
          new SecretKeySpec(secret.bytes(), "HmacSHA256"));
    } else if (settings.keys() instanceof JwtVerifier.Keys.Static keys) {
      selector = new JWSVerificationKeySelector<>(settings.algorithms(),
          new ImmutableJWKSet<>(keys.keys()));
    } else if (settings.keys() instanceof JwtVerifier.Keys.Remote remote) {
      selector = new JWSVerificationKeySelector<>(settings.algorithms(),
          remote(url(remote.jwksUri().toString()), settings));
    } else {
      selector = new JWSVerificationKeySelector<>(settings.algorithms(), new DiscoveredKeys(
          settings, retriever(settings), clock, jwks -> remote(jwks, settings)));
    }
    return new KnownKeys(selector);
  }

  static ResourceRetriever retriever(JwtVerifier.IssuerSettings settings) {
    int timeout = (int) settings.fetchTimeout().toMillis();
    return new DefaultResourceRetriever(timeout, timeout, settings.maxFetchBytes());
  }

  static JWKSource<SecurityContext> remote(URL jwks, JwtVerifier.IssuerSettings settings) {
    long ttl = settings.keySetTtl().toMillis();
    return JWKSourceBuilder.<SecurityContext>create(jwks, retriever(settings))
        .cache(ttl, 2 * settings.fetchTimeout().toMillis())
        .refreshAheadCache(false)
        .rateLimited(settings.refreshInterval().toMillis())
        .retrying(false)
        .build();
  }

  static URL url(String uri) {
    try {
      return new URL(uri);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a URL: " + uri, e);
    }
  }

  /** Turns "no key" into {@link UnknownKeyId}, so it is told apart from a bad signature. */
  private static final class KnownKeys implements JWSKeySelector<SecurityContext> {
    private final JWSKeySelector<SecurityContext> keys;

    KnownKeys(JWSKeySelector<SecurityContext> keys) {
      this.keys = keys;
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context)
        throws KeySourceException {
      List<? extends Key> found = keys.selectJWSKeys(header, context);
      if (found.isEmpty()) {
        throw new UnknownKeyId();
      }
      return found;
    }
  }

  /** No key of the issuer matches the token's key id and algorithm. */
  static final class UnknownKeyId extends KeySourceException {
    UnknownKeyId() {
      super("no matching key");
    }
  }

  /** The issuer's keys cannot be had; the message says why and names no secret. */
  static final class KeysUnavailable extends KeySourceException {
    KeysUnavailable(String message) {
      super(message);
    }
  }
}
