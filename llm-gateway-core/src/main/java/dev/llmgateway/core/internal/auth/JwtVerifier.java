package dev.llmgateway.core.internal.auth;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.TokenRejectedException;
import dev.llmgateway.TokenRejectedException.Reason;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Verifies bearer tokens (JWTs) into principals, for the public {@code JwtAuthenticator}. In this
 * order, each failure a {@link TokenRejectedException} with its own {@link Reason}: only a {@link
 * Caller.BearerToken}; its length bounded before anything is parsed (which bounds the claims
 * too); a hit in the cache of verified tokens answers at once; the header must name a signing
 * algorithm ({@code alg: none} and encrypted tokens are refused) and a JWT type; the issuer is
 * taken from the unverified {@code iss} claim, but only among the configured issuers, and that
 * issuer's verifier checks the algorithm against the issuer's own list, the signature with the
 * issuer's own keys (nimbus' {@code DefaultJWTProcessor}), and then the claims on the injected
 * clock. Thread-safe.
 */
public final class JwtVerifier {
  private static final Set<String> JWT_TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");

  private final Map<String, IssuerVerifier> issuers;
  private final Clock clock;
  private final int maxTokenLength;
  private final VerifiedTokens verified;
  private final ClaimsToPrincipal toPrincipal;
  private final LongAdder verifications = new LongAdder();

  /** Builds the verifiers of every issuer; nothing is fetched before the first token needs it. */
  public JwtVerifier(List<IssuerSettings> issuers, ClaimNames claims, Clock clock,
      Duration clockSkew, int maxTokenLength, int cacheSize, Duration cacheMaxTtl) {
    Map<String, IssuerVerifier> byName = new LinkedHashMap<>();
    for (IssuerSettings settings : issuers) {
      byName.put(settings.issuer(), new IssuerVerifier(settings, clock, clockSkew));
    }
    this.issuers = Map.copyOf(byName);
    this.clock = clock;
    this.maxTokenLength = maxTokenLength;
    this.verified = new VerifiedTokens(cacheSize, cacheMaxTtl, clock);
    this.toPrincipal = new ClaimsToPrincipal(claims);
  }

  /**
   * The principal of a valid token.
   *
   * @throws TokenRejectedException when the caller is no bearer token or its token is refused
   */
  public Principal authenticate(Caller caller) {
    if (!(caller instanceof Caller.BearerToken bearer)) {
      throw new TokenRejectedException(Reason.NOT_A_BEARER_TOKEN, "this authenticator checks"
          + " bearer tokens (JWTs) only and was given " + kind(caller) + ": pass"
          + " Caller.bearerToken(...), or let another authenticator check this kind of caller");
    }
    String token = bearer.token();
    if (token.length() > maxTokenLength) {
      throw new TokenRejectedException(Reason.MALFORMED, "the bearer token is longer than "
          + maxTokenLength + " characters, the most this gateway reads: send a shorter token, or"
          + " raise JwtAuthenticator.Builder.maxTokenLength");
    }
    VerifiedTokens.Digest digest = verified.enabled() ? VerifiedTokens.Digest.of(token) : null;
    if (digest != null) {
      Principal hit = verified.get(digest);
      if (hit != null) {
        return hit;
      }
    }
    SignedJWT jwt = parse(token);
    JWTClaimsSet unverified = unverifiedClaims(jwt);
    String issuerName = issuer(unverified);
    IssuerVerifier issuer = issuers.get(issuerName);
    if (issuer == null) {
      throw new TokenRejectedException(Reason.UNKNOWN_ISSUER, "the bearer token's issuer (iss)"
          + " is none of the " + issuers.size() + " issuers this gateway trusts: get a token from"
          + " a trusted issuer, or configure this one with JwtAuthenticator.Builder.issuer");
    }
    verifications.increment();
    JWTClaimsSet claims = issuer.verify(jwt);
    Principal principal = toPrincipal.principal(issuerName, jwt.getHeader(), claims);
    if (digest != null) {
      // ClaimsCheck has made sure there is an expiry
      verified.put(digest, principal, claims.getExpirationTime().toInstant(), clock.instant());
    }
    return principal;
  }

  /** How many tokens went to their issuer's verifier (the cache's hits did not). */
  public long verifications() {
    return verifications.sum();
  }

  /** The configured issuers, in no particular order. */
  public Set<String> issuers() {
    return issuers.keySet();
  }

  private static String kind(Caller caller) {
    return caller instanceof Principal ? "a Principal" : "an " + caller.getClass().getSimpleName();
  }

  /** The token as a signed JWT, refusing anything else without quoting it. */
  private static SignedJWT parse(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      throw malformed("it is not a JWT (three base64url parts separated by dots)");
    }
    Header header;
    try {
      header = Header.parse(new Base64URL(token.substring(0, dot)));
    } catch (ParseException e) {
      throw malformed("its header is not a JOSE header");
    }
    if (Algorithm.NONE.equals(header.getAlgorithm())) {
      throw new TokenRejectedException(Reason.ALGORITHM_NOT_ALLOWED, "the bearer token is"
          + " unsigned (alg: none), which is never accepted: send a signed token");
    }
    if (!(header instanceof JWSHeader)) {
      throw malformed("it is encrypted (JWE); only signed tokens (JWS) are accepted");
    }
    JOSEObjectType type = header.getType();
    if (type != null && !JWT_TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
      throw malformed("its header's typ is neither JWT nor at+jwt");
    }
    try {
      return SignedJWT.parse(token);
    } catch (ParseException e) {
      throw malformed("it is not a signed JWT of three base64url parts");
    }
  }

  private static JWTClaimsSet unverifiedClaims(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw malformed("its payload is not a JSON object of claims");
    }
  }

  private static String issuer(JWTClaimsSet claims) {
    Object iss = claims.getClaim(JWTClaimNames.ISSUER);
    if (iss == null) {
      throw new TokenRejectedException(Reason.MISSING_ISSUER, "the bearer token names no issuer"
          + " (iss); ask its issuer for a token with one");
    }
    if (!(iss instanceof String name)) {
      throw malformed("its issuer (iss) is not a string");
    }
    return name;
  }

  private static TokenRejectedException malformed(String why) {
    return new TokenRejectedException(Reason.MALFORMED, "the bearer token could not be read: "
        + why + "; send the JWT itself, without the 'Bearer ' prefix");
  }

  /**
   * One trusted issuer, as the public builder configured it.
   *
   * @param issuer the exact {@code iss} its tokens carry
   * @param algorithms the algorithms its tokens may be signed with
   * @param audiences the audiences of which a token must name one; empty: not checked
   * @param keys where its keys come from
   * @param fetchTimeout connect and read timeout of each fetch (JWKS, discovery)
   * @param maxFetchBytes the most bytes a fetched document may have
   * @param keySetTtl how long a fetched key set is used before it is fetched again
   * @param refreshInterval the rate limit: at most two fetches of the key set in this long
   */
  public record IssuerSettings(String issuer, Set<JWSAlgorithm> algorithms, Set<String> audiences,
      Keys keys, Duration fetchTimeout, int maxFetchBytes, Duration keySetTtl,
      Duration refreshInterval) {
    /** Copies. */
    public IssuerSettings {
      algorithms = Set.copyOf(algorithms);
      audiences = Set.copyOf(audiences);
    }
  }

  /** Where an issuer's keys come from. */
  public sealed interface Keys {
    /** One HMAC secret (HS256); never printed. */
    final class Secret implements Keys {
      private final byte[] secret;

      /** Copies the secret. */
      public Secret(byte[] secret) {
        this.secret = secret.clone();
      }

      byte[] bytes() {
        return secret.clone();
      }

      @Override
      public String toString() {
        return "Secret[redacted]";
      }
    }

    /** Public keys given in code or as a JWK set document. */
    record Static(JWKSet keys) implements Keys {}

    /** A JWKS URL, fetched and cached. */
    record Remote(URI jwksUri) implements Keys {}

    /** The issuer's OpenID Connect discovery document names its JWKS URL. */
    record Discovery() implements Keys {}
  }

  /**
   * Which claims fill which part of the principal; a null name leaves that part unset.
   *
   * @param org the organisation's claim
   * @param team the team's claim (a string, or a list the chooser picks from)
   * @param teamChooser picks the team from a list claim (e.g. groups); null: none
   * @param project the project's claim
   * @param user the end user's claim
   * @param scopes the claims of scopes (a space-separated string or a list), merged
   * @param attributes claims copied into the principal's attributes as text
   */
  public record ClaimNames(@Nullable String org, @Nullable String team,
      Function<List<String>, @Nullable String> teamChooser, @Nullable String project,
      @Nullable String user, List<String> scopes, List<String> attributes) {
    /** Copies. */
    public ClaimNames {
      scopes = List.copyOf(scopes);
      attributes = List.copyOf(attributes);
    }

    /** For toString()s: the names only. */
    public String describe() {
      return "org=" + org + ", team=" + team + ", project=" + project + ", user=" + user
          + ", scopes=" + scopes;
    }
  }
}
