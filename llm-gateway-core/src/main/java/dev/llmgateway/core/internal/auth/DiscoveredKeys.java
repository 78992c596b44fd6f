package dev.llmgateway.core.internal.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of an OpenID Connect issuer: on first need, {@code <issuer>/.well-known/
 * openid-configuration} is fetched (bounded in time and size), its {@code issuer} must equal the
 * configured one exactly (else its keys are refused), and its {@code jwks_uri} — https when the
 * issuer is — becomes a cached, rate-limited JWKS source. A failed discovery is tried again at
 * most once per refresh interval, on the authenticator's clock; until then tokens of the issuer are
 * refused as {@code KEYS_UNAVAILABLE}. Thread-safe.
 */
final class DiscoveredKeys implements JWKSource<SecurityContext> {
  private static final Logger log = LoggerFactory.getLogger(DiscoveredKeys.class);

  private final String issuer;
  private final URL document;
  private final ResourceRetriever retriever;
  private final Clock clock;
  private final Duration retryInterval;
  private final Function<URL, JWKSource<SecurityContext>> jwks;
  private volatile @Nullable JWKSource<SecurityContext> keys;
  private Instant nextAttempt = Instant.MIN;
  private String lastFailure = "";

  DiscoveredKeys(JwtVerifier.IssuerSettings settings, ResourceRetriever retriever, Clock clock,
      Function<URL, JWKSource<SecurityContext>> jwks) {
    this.issuer = settings.issuer();
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    this.document = IssuerKeys.url(base + "/.well-known/openid-configuration");
    this.retriever = retriever;
    this.clock = clock;
    this.retryInterval = settings.refreshInterval();
    this.jwks = jwks;
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    JWKSource<SecurityContext> known = keys;
    return (known != null ? known : discover()).get(selector, context);
  }

  private synchronized JWKSource<SecurityContext> discover() throws KeySourceException {
    JWKSource<SecurityContext> known = keys;
    if (known != null) {
      return known;
    }
    Instant now = clock.instant();
    if (now.isBefore(nextAttempt)) {
      throw new IssuerKeys.KeysUnavailable(lastFailure + "; discovery is tried again after "
          + nextAttempt);
    }
    nextAttempt = now.plus(retryInterval);
    try {
      URL jwksUrl = jwksUrl();
      JWKSource<SecurityContext> found = jwks.apply(jwksUrl);
      keys = found;
      log.debug("issuer {} publishes its keys at {}", issuer, jwksUrl);
      return found;
    } catch (IssuerKeys.KeysUnavailable e) {
      lastFailure = e.getMessage();
      log.warn("{}", lastFailure);
      throw e;
    }
  }

  private URL jwksUrl() throws IssuerKeys.KeysUnavailable {
    Map<String, Object> doc;
    try {
      doc = JSONObjectUtils.parse(retriever.retrieveResource(document).getContent());
    } catch (IOException e) {
      throw unavailable("could not be fetched (" + e.getClass().getSimpleName() + ")");
    } catch (ParseException e) {
      throw unavailable("is not a JSON object");
    }
    Object named = doc.get("issuer");
    if (!issuer.equals(named)) {
      throw unavailable("names another issuer than " + issuer
          + ", so its keys are not trusted (OpenID Connect Discovery 1.0, section 4.3)");
    }
    Object uri = doc.get("jwks_uri");
    if (!(uri instanceof String text)) {
      throw unavailable("names no jwks_uri");
    }
    URI parsed;
    try {
      parsed = new URI(text);
    } catch (URISyntaxException e) {
      throw unavailable("names a jwks_uri that is not a URI");
    }
    String scheme = parsed.getScheme();
    boolean secure = issuer.startsWith("https:");
    if (!"https".equals(scheme) && (secure || !"http".equals(scheme))) {
      throw unavailable("names a jwks_uri that is not " + (secure ? "https" : "http(s)"));
    }
    try {
      return parsed.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw unavailable("names a jwks_uri that is not a URL");
    }
  }

  private IssuerKeys.KeysUnavailable unavailable(String why) {
    return new IssuerKeys.KeysUnavailable("the OpenID Connect discovery document of issuer "
        + issuer + " (" + document + ") " + why + "; tokens of this issuer are refused until it"
        + " can be read");
  }
}
