package dev.llmgateway;

import java.util.Objects;

/**
 * A bearer token (a JWT) was refused, and {@link #rejection()} says why, so a host application can
 * tell "get a new token" ({@link Reason#EXPIRED}) from "this token was never ours" ({@link
 * Reason#UNKNOWN_ISSUER}) without reading the message. The message says what to fix; it never
 * quotes the token, its signature or a claim that could identify a person (only the configured
 * issuer, the configured audience, the allowed algorithms and times).
 *
 * <p>A subclass of {@link AuthenticationException}, so code that catches that keeps working.
 * Retriable only when the issuer's keys could not be fetched ({@link Reason#KEYS_UNAVAILABLE}).
 */
public final class TokenRejectedException extends AuthenticationException {
  /** Why a token was refused: one value per thing the caller or the operator must fix. */
  public enum Reason {
    /** The caller presented no bearer token (an API key, say) to an authenticator of tokens. */
    NOT_A_BEARER_TOKEN,
    /** Not a signed JWT: too long, not three base64url parts, unreadable JSON, or encrypted. */
    MALFORMED,
    /** Unsigned ({@code alg: none}) or signed with an algorithm its issuer is not allowed. */
    ALGORITHM_NOT_ALLOWED,
    /** The token names no issuer ({@code iss}). */
    MISSING_ISSUER,
    /** The token's issuer is none of those configured: a token of another (wrong) issuer. */
    UNKNOWN_ISSUER,
    /** No key of its issuer has the token's key id ({@code kid}), even after a refresh. */
    UNKNOWN_KEY_ID,
    /** The signature does not verify with the issuer's key. */
    BAD_SIGNATURE,
    /** The token has no expiry ({@code exp}); one is required. */
    MISSING_EXPIRY,
    /** The token expired (beyond the allowed clock skew). */
    EXPIRED,
    /** The token is not valid yet ({@code nbf} beyond the allowed clock skew). */
    NOT_YET_VALID,
    /** The token is not meant for this gateway: its audience ({@code aud}) is missing or other. */
    WRONG_AUDIENCE,
    /** The issuer's keys (its JWKS or its discovery document) could not be fetched or trusted. */
    KEYS_UNAVAILABLE
  }

  private final Reason rejection;

  /**
   * Creates one.
   *
   * @param reason why the token was refused
   * @param message what to fix, without the token or claims that identify a person
   */
  public TokenRejectedException(Reason reason, String message) {
    super(message, ErrorDetails.NONE, null);
    this.rejection = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the token was refused. ({@link #reason()}, inherited, is the message without details.)
   */
  public Reason rejection() {
    return rejection;
  }

  /** True only for {@link Reason#KEYS_UNAVAILABLE}: the keys may be fetched on a later call. */
  @Override
  public boolean isRetriable() {
    return rejection == Reason.KEYS_UNAVAILABLE;
  }
}
