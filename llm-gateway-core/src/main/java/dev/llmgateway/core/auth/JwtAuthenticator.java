package dev.llmgateway.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.TokenRejectedException;
import dev.llmgateway.core.internal.auth.JwtVerifier;
import dev.llmgateway.spi.Authenticator;
import java.net.URI;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks bearer tokens (JWTs, signed HS256, RS256 or ES256) of one or more trusted issuers and
 * turns the claims of a valid one into a {@link Principal}. Set it with {@code
 * GatewayBuilder.authenticator(...)}.
 *
 * <pre>{@code
 * JwtAuthenticator jwt = JwtAuthenticator.builder()
 *     .issuer("https://login.example.com/", issuer -> issuer.discovery().audience("llm-gateway"))
 *     .issuer("https://billing.internal", issuer -> issuer.hmacSecret(secretBytes))
 *     .orgClaim("org_id").teamClaim("groups")
 *     .build();
 * }</pre>
 *
 * <p>Each issuer has one source of keys: an HMAC secret, public keys (given, or a JWK set
 * document), a JWKS URL, or OpenID Connect discovery ({@code <issuer>/.well-known/
 * openid-configuration} names the JWKS URL; its {@code issuer} must be the configured one). A JWKS
 * is fetched when first needed, cached for {@link Issuer#keySetTtl}, fetched again when a token
 * names an unknown key id — at most twice per {@link Issuer#keySetRefreshInterval}, however many
 * such tokens arrive — with every fetch bounded in time and size. Nothing is fetched at build.
 *
 * <p>A token is read only if it is no longer than {@link Builder#maxTokenLength}. Its issuer is
 * looked up by its unverified {@code iss} claim among the configured issuers only, and that
 * issuer's algorithms and keys alone are used: {@code alg: none} and algorithm confusion are
 * refused. {@code exp} is required, {@code nbf} honoured, both on the builder's {@link
 * Builder#clock} with {@link Builder#clockSkew}; {@code aud} must name one of the issuer's
 * audiences when it has any. Every refusal is a {@link TokenRejectedException} whose {@link
 * TokenRejectedException#rejection()} says which check failed, and whose message quotes neither the
 * token nor a claim that could identify a person.
 *
 * <p>Verified tokens are remembered (by their SHA-256, never the token) until their {@code exp} or
 * {@link Builder#cacheMaxTtl}, whichever is first, at most {@link Builder#cacheSize} of them, so a
 * hot token is not verified on every call. Thread-safe; immutable once built.
 */
public final class JwtAuthenticator implements Authenticator {
  private final JwtVerifier verifier;
  private final String description;

  private JwtAuthenticator(JwtVerifier verifier, String description) {
    this.verifier = verifier;
    this.description = description;
  }

  /** A builder with the defaults: no issuer yet, the system clock, 60 s skew, 16 KiB tokens. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The principal of a valid bearer token.
   *
   * @throws TokenRejectedException when the caller is no {@link Caller.BearerToken} ({@code
   *     NOT_A_BEARER_TOKEN}) or its token is refused (the reason says why)
   */
  @Override
  public Principal authenticate(Caller credential) {
    return verifier.authenticate(credential);
  }

  /** The issuers this authenticator trusts. */
  public Set<String> issuers() {
    return verifier.issuers();
  }

  /** How many tokens were verified (cache hits are not): for tests of the cache. */
  long verifications() {
    return verifier.verifications();
  }

  /** Names the issuers and the claim mapping; no key, secret or token. */
  @Override
  public String toString() {
    return description;
  }

  /**
   * Builds a {@link JwtAuthenticator}. Not thread-safe; {@link #build()} copies its state, so a
   * builder may build several.
   */
  public static final class Builder {
    private final Map<String, Issuer> issuers = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = Duration.ofSeconds(60);
    private int maxTokenLength = 16 * 1024;
    private int cacheSize = 10_000;
    private Duration cacheMaxTtl = Duration.ofMinutes(10);
    private @Nullable String orgClaim = "org_id";
    private @Nullable String teamClaim = "groups";
    private Function<List<String>, @Nullable String> teamChooser = groups -> groups.get(0);
    private @Nullable String projectClaim = "project";
    private @Nullable String userClaim = "sub";
    private List<String> scopeClaims = List.of("scope", "scp");
    private List<String> attributeClaims = List.of();

    private Builder() {}

    /**
     * Trusts tokens whose {@code iss} is exactly {@code issuer}, with the keys and checks {@code
     * configure} sets (one source of keys is required; {@code configure} runs now).
     *
     * @throws IllegalArgumentException when the issuer is blank or already configured, or a
     *     setting {@code configure} makes is invalid
     * @throws IllegalStateException when {@code configure} sets two sources of keys
     */
    public Builder issuer(String issuer, Consumer<Issuer> configure) {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(configure, "configure");
      if (issuer.isBlank()) {
        throw new IllegalArgumentException("an issuer must not be blank");
      }
      if (issuers.containsKey(issuer)) {
        throw new IllegalArgumentException("issuer " + issuer + " is configured twice");
      }
      Issuer settings = new Issuer(issuer);
      configure.accept(settings);
      issuers.put(issuer, settings);
      return this;
    }

    /** The clock for {@code exp} and {@code nbf} and the cache. Defaults to the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How far {@code exp} and {@code nbf} may be off the clock. Defaults to 60 seconds.
     *
     * @throws IllegalArgumentException when negative or over 10 minutes
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("clockSkew must be 0 to 10 minutes, was " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * The longest token read (in characters); longer ones are refused before parsing, which also
     * bounds the claims. Defaults to 16 KiB.
     *
     * @throws IllegalArgumentException when under 256 or over 1 MiB
     */
    public Builder maxTokenLength(int characters) {
      if (characters < 256 || characters > 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxTokenLength must be 256 to 1048576 characters, was " + characters);
      }
      this.maxTokenLength = characters;
      return this;
    }

    /**
     * How many verified tokens are remembered; 0 verifies every token every time. Defaults to
     * 10,000.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder cacheSize(int tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("cacheSize must not be negative, was " + tokens);
      }
      this.cacheSize = tokens;
      return this;
    }

    /**
     * The longest a verified token is remembered, even if it expires later. Defaults to 10
     * minutes.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder cacheMaxTtl(Duration ttl) {
      this.cacheMaxTtl = positive(ttl, "cacheMaxTtl");
      return this;
    }

    /** The claim that names the organisation; null: none. Defaults to {@code org_id}. */
    public Builder orgClaim(@Nullable String claim) {
      this.orgClaim = claim;
      return this;
    }

    /**
     * The claim that names the team: a string, or a list ({@code groups}) from which {@link
     * #teamChooser} picks; null: none. Defaults to {@code groups}.
     */
    public Builder teamClaim(@Nullable String claim) {
      this.teamClaim = claim;
      return this;
    }

    /** Picks the team from a list claim (never empty); may return null. Defaults to the first. */
    public Builder teamChooser(Function<List<String>, @Nullable String> chooser) {
      this.teamChooser = Objects.requireNonNull(chooser, "chooser");
      return this;
    }

    /** The claim that names the project; null: none. Defaults to {@code project}. */
    public Builder projectClaim(@Nullable String claim) {
      this.projectClaim = claim;
      return this;
    }

    /** The claim that names the end user; null: none. Defaults to {@code sub}. */
    public Builder userClaim(@Nullable String claim) {
      this.userClaim = claim;
      return this;
    }

    /**
     * The claims that hold scopes (a space-separated string, or a list), merged. Defaults to
     * {@code scope} and {@code scp}.
     */
    public Builder scopeClaims(String... claims) {
      this.scopeClaims = List.of(claims);
      return this;
    }

    /**
     * Claims copied into the principal's attributes as text (a list joined with commas). None by
     * default; the attribute {@code iss} (the issuer) is always set.
     */
    public Builder attributeClaims(String... claims) {
      this.attributeClaims = List.of(claims);
      return this;
    }

    /**
     * Builds the authenticator; fetches nothing.
     *
     * @throws IllegalStateException when no issuer is configured, or an issuer's settings conflict
     *     (no keys or two sources of keys, an algorithm its keys cannot verify, a refresh interval
     *     not below the key set's time to live)
     * @throws IllegalArgumentException when an issuer's setting is invalid
     */
    public JwtAuthenticator build() {
      if (issuers.isEmpty()) {
        throw new IllegalStateException("a JwtAuthenticator needs at least one issuer: call"
            + " issuer(\"https://...\", issuer -> issuer.jwksUri(...))");
      }
      List<JwtVerifier.IssuerSettings> settings = new ArrayList<>();
      List<String> described = new ArrayList<>();
      for (Issuer issuer : issuers.values()) {
        settings.add(issuer.settings());
        described.add(issuer.toString());
      }
      JwtVerifier.ClaimNames claims = new JwtVerifier.ClaimNames(orgClaim, teamClaim,
          teamChooser, projectClaim, userClaim, scopeClaims, attributeClaims);
      JwtVerifier verifier = new JwtVerifier(settings, claims, clock, clockSkew, maxTokenLength,
          cacheSize, cacheMaxTtl);
      return new JwtAuthenticator(verifier, "JwtAuthenticator[issuers=" + described + ", claims=["
          + claims.describe() + "], cacheSize=" + cacheSize + "]");
    }
  }

  /**
   * One trusted issuer's keys and checks, set inside {@link Builder#issuer}. Exactly one source of
   * keys: {@link #hmacSecret}, {@link #publicKey} / {@link #jwkSet}, {@link #jwksUri} or {@link
   * #discovery}. Not thread-safe. Prints no key.
   */
  public static final class Issuer {
    private final String name;
    private @Nullable String source;
    private byte @Nullable [] secret;
    private final List<JWK> publicKeys = new ArrayList<>();
    private @Nullable URI jwksUri;
    private final Set<JwtAlgorithm> algorithms = EnumSet.noneOf(JwtAlgorithm.class);
    private final Set<String> audiences = new LinkedHashSet<>();
    private Duration fetchTimeout = Duration.ofSeconds(5);
    private int maxFetchBytes = 256 * 1024;
    private Duration keySetTtl = Duration.ofMinutes(5);
    private Duration refreshInterval = Duration.ofSeconds(30);

    private Issuer(String name) {
      this.name = name;
    }

    /**
     * Tokens are signed HS256 with this shared secret (copied; never printed).
     *
     * @throws IllegalArgumentException when shorter than 32 bytes
     * @throws IllegalStateException when the issuer has another source of keys
     */
    public Issuer hmacSecret(byte[] secret) {
      if (secret.length < 32) {
        throw new IllegalArgumentException("issuer " + name + ": an HS256 secret must have at"
            + " least 32 bytes, it had " + secret.length);
      }
      source("hmacSecret");
      this.secret = secret.clone();
      return this;
    }

    /**
     * Tokens are signed with this RSA (RS256, 2048 bits or more) or P-256 EC (ES256) public key,
     * named {@code keyId} (the {@code kid} tokens carry). May be called for several keys.
     *
     * @throws IllegalArgumentException when the key is neither, or too weak
     * @throws IllegalStateException when the issuer has another source of keys
     */
    public Issuer publicKey(String keyId, PublicKey key) {
      Objects.requireNonNull(keyId, "keyId");
      source("publicKey/jwkSet");
      if (key instanceof RSAPublicKey rsa) {
        publicKeys.add(checked(new RSAKey.Builder(rsa).keyID(keyId).build()));
      } else if (key instanceof ECPublicKey ec) {
        Curve curve = Curve.forECParameterSpec(ec.getParams());
        if (curve == null) {
          throw new IllegalArgumentException("issuer " + name + ": key " + keyId + " is on an"
              + " unknown curve; ES256 needs P-256");
        }
        publicKeys.add(checked(new ECKey.Builder(curve, ec).keyID(keyId).build()));
      } else {
        throw new IllegalArgumentException("issuer " + name + ": key " + keyId + " is a "
            + key.getAlgorithm() + " key; RS256 needs an RSA key, ES256 an EC key");
      }
      return this;
    }

    /**
     * Tokens are signed with the public RSA or EC keys of this JWK set document ({@code
     * {"keys":[...]}}); private parts are ignored.
     *
     * @throws IllegalArgumentException when it is no JWK set or holds no public RSA or EC key
     * @throws IllegalStateException when the issuer has another source of keys
     */
    public Issuer jwkSet(String json) {
      Objects.requireNonNull(json, "json");
      source("publicKey/jwkSet");
      JWKSet set;
      try {
        set = JWKSet.parse(json).toPublicJWKSet();
      } catch (ParseException e) {
        throw new IllegalArgumentException("issuer " + name + ": the JWK set is not a JSON object"
            + " with a \"keys\" array of JWKs");
      }
      if (set.getKeys().isEmpty()) {
        throw new IllegalArgumentException("issuer " + name + ": the JWK set holds no public RSA"
            + " or EC key");
      }
      set.getKeys().forEach(key -> publicKeys.add(checked(key)));
      return this;
    }

    /**
     * Tokens are signed with the keys published at this JWKS URL (http or https), fetched when
     * first needed and cached.
     *
     * @throws IllegalArgumentException when the URI is not an absolute http(s) URI
     * @throws IllegalStateException when the issuer has another source of keys
     */
    public Issuer jwksUri(URI uri) {
      Objects.requireNonNull(uri, "uri");
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
        throw new IllegalArgumentException("issuer " + name + ": the JWKS URI must be http(s),"
            + " was " + uri.getScheme());
      }
      source("jwksUri");
      this.jwksUri = uri;
      return this;
    }

    /**
     * Tokens are signed with the keys of the JWKS URL this issuer's OpenID Connect discovery
     * document names; the issuer must be an http(s) URL.
     *
     * @throws IllegalArgumentException when the issuer is not an http(s) URL
     * @throws IllegalStateException when the issuer has another source of keys
     */
    public Issuer discovery() {
      if (!name.startsWith("https://") && !name.startsWith("http://")) {
        throw new IllegalArgumentException("issuer " + name + ": OpenID Connect discovery needs"
            + " an issuer that is an http(s) URL");
      }
      source("discovery");
      return this;
    }

    /**
     * The algorithms its tokens may be signed with. Defaults by the keys: HS256 for a secret, the
     * algorithms of the given public keys, RS256 for a JWKS URL or discovery.
     *
     * @throws IllegalArgumentException when none is given
     */
    public Issuer algorithms(JwtAlgorithm... algorithms) {
      if (algorithms.length == 0) {
        throw new IllegalArgumentException("issuer " + name + ": name at least one algorithm");
      }
      this.algorithms.clear();
      this.algorithms.addAll(List.of(algorithms));
      return this;
    }

    /** Tokens must name one of these audiences in {@code aud}. By default {@code aud} is free. */
    public Issuer audience(String... audiences) {
      for (String audience : audiences) {
        this.audiences.add(Objects.requireNonNull(audience, "audience"));
      }
      return this;
    }

    /** Connect and read timeout of each fetch (JWKS, discovery). Defaults to 5 seconds. */
    public Issuer fetchTimeout(Duration timeout) {
      this.fetchTimeout = positive(timeout, "fetchTimeout");
      return this;
    }

    /**
     * The most bytes a fetched JWKS or discovery document may have. Defaults to 256 KiB.
     *
     * @throws IllegalArgumentException when under 1 KiB or over 16 MiB
     */
    public Issuer maxFetchBytes(int bytes) {
      if (bytes < 1024 || bytes > 16 * 1024 * 1024) {
        throw new IllegalArgumentException("maxFetchBytes must be 1 KiB to 16 MiB, was " + bytes);
      }
      this.maxFetchBytes = bytes;
      return this;
    }

    /** How long a fetched key set is used before it is fetched again. Defaults to 5 minutes. */
    public Issuer keySetTtl(Duration ttl) {
      this.keySetTtl = positive(ttl, "keySetTtl");
      return this;
    }

    /**
     * The refresh rate limit: the key set is fetched at most twice per this interval, however
     * many tokens name unknown key ids (and a failed discovery is tried again once per interval).
     * Must be below {@link #keySetTtl}. Defaults to 30 seconds.
     */
    public Issuer keySetRefreshInterval(Duration interval) {
      this.refreshInterval = positive(interval, "keySetRefreshInterval");
      return this;
    }

    private void source(String kind) {
      if (source != null && !source.equals(kind)) {
        throw new IllegalStateException("issuer " + name + " has keys from " + source
            + " and from " + kind + ": an issuer has one source of keys");
      }
      source = kind;
    }

    private JWK checked(JWK key) {
      if (key instanceof RSAKey rsa && rsa.size() < 2048) {
        throw new IllegalArgumentException("issuer " + name + ": RSA key " + key.getKeyID()
            + " has " + rsa.size() + " bits; RS256 needs 2048 or more");
      }
      if (key instanceof ECKey ec && !Curve.P_256.equals(ec.getCurve())) {
        throw new IllegalArgumentException("issuer " + name + ": EC key " + key.getKeyID()
            + " is on " + ec.getCurve() + "; ES256 needs P-256");
      }
      if (!(key instanceof RSAKey) && !(key instanceof ECKey)) {
        throw new IllegalArgumentException("issuer " + name + ": key " + key.getKeyID() + " is "
            + key.getKeyType() + "; only RSA and EC public keys are accepted here (an HMAC"
            + " secret goes to hmacSecret)");
      }
      return key;
    }

    private Set<JwtAlgorithm> algorithms() {
      if (!algorithms.isEmpty()) {
        return algorithms;
      }
      if (secret != null) {
        return EnumSet.of(JwtAlgorithm.HS256);
      }
      if (!publicKeys.isEmpty()) {
        Set<JwtAlgorithm> byKeys = EnumSet.noneOf(JwtAlgorithm.class);
        publicKeys.forEach(k -> byKeys.add(k instanceof RSAKey ? JwtAlgorithm.RS256
            : JwtAlgorithm.ES256));
        return byKeys;
      }
      return EnumSet.of(JwtAlgorithm.RS256);
    }

    JwtVerifier.IssuerSettings settings() {
      if (source == null) {
        throw new IllegalStateException("issuer " + name + " has no keys: set hmacSecret,"
            + " publicKey, jwkSet, jwksUri or discovery");
      }
      Set<JwtAlgorithm> allowed = algorithms();
      boolean hmac = secret != null;
      if (hmac && !allowed.equals(EnumSet.of(JwtAlgorithm.HS256))) {
        throw new IllegalStateException("issuer " + name + " has an HMAC secret but allows "
            + allowed + ": a secret verifies HS256 only");
      }
      if (!hmac && allowed.contains(JwtAlgorithm.HS256)) {
        throw new IllegalStateException("issuer " + name + " allows HS256 but has public keys ("
            + source + "): HS256 with a public key is algorithm confusion; use hmacSecret");
      }
      if (source.equals("jwksUri") || source.equals("discovery")) {
        if (refreshInterval.compareTo(keySetTtl) >= 0) {
          throw new IllegalStateException("issuer " + name + ": keySetRefreshInterval ("
              + refreshInterval + ") must be below keySetTtl (" + keySetTtl + ")");
        }
      }
      JwtVerifier.Keys keys;
      if (secret != null) {
        keys = new JwtVerifier.Keys.Secret(secret);
      } else if (!publicKeys.isEmpty()) {
        keys = new JwtVerifier.Keys.Static(new JWKSet(publicKeys));
      } else if (jwksUri != null) {
        keys = new JwtVerifier.Keys.Remote(jwksUri);
      } else {
        keys = new JwtVerifier.Keys.Discovery();
      }
      Set<JWSAlgorithm> jws = allowed.stream().map(a -> JWSAlgorithm.parse(a.name()))
          .collect(Collectors.toSet());
      return new JwtVerifier.IssuerSettings(name, jws, audiences, keys, fetchTimeout,
          maxFetchBytes, keySetTtl, refreshInterval);
    }

    /** The issuer, its source of keys and algorithms; never a key. */
    @Override
    public String toString() {
      String keys = source == null ? "none" : switch (source) {
        case "jwksUri" -> "jwks " + jwksUri;
        case "publicKey/jwkSet" -> publicKeys.size() + " public keys";
        default -> source;
      };
      return "Issuer[" + name + ", keys=" + keys + ", algorithms=" + algorithms()
          + (audiences.isEmpty() ? "" : ", audiences=" + audiences) + "]";
    }
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + duration);
    }
    return duration;
  }
}
