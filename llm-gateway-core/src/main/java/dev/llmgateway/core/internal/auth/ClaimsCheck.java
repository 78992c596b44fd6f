package dev.llmgateway.core.internal.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import dev.llmgateway.TokenRejectedException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The claims a verified signature still does not vouch for, on the authenticator's clock (nimbus'
 * own verifier reads the system time): {@code exp} required and not past (give or take the skew),
 * {@code nbf} not ahead (likewise), {@code iss} the issuer's, and one of the configured audiences
 * in {@code aud} when any are configured. Each failure is a {@link Rejected} with its reason.
 */
final class ClaimsCheck implements JWTClaimsSetVerifier<SecurityContext> {
  private final String issuer;
  private final Set<String> audiences;
  private final Clock clock;
  private final Duration skew;

  ClaimsCheck(String issuer, Set<String> audiences, Clock clock, Duration skew) {
    this.issuer = issuer;
    this.audiences = audiences;
    this.clock = clock;
    this.skew = skew;
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws Rejected {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new Rejected(Reason.MISSING_EXPIRY, "the bearer token of issuer " + issuer
          + " has no expiry (exp), which this gateway requires: ask the issuer for tokens that"
          + " expire");
    }
    if (now.isAfter(exp.toInstant().plus(skew))) {
      throw new Rejected(Reason.EXPIRED, "the bearer token of issuer " + issuer + " expired at "
          + exp.toInstant() + " (allowed clock skew " + skew.toSeconds() + " s): get a new token");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      throw new Rejected(Reason.NOT_YET_VALID, "the bearer token of issuer " + issuer
          + " is not valid before " + nbf.toInstant() + " (allowed clock skew " + skew.toSeconds()
          + " s): check the clocks, or use the token later");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw new Rejected(Reason.UNKNOWN_ISSUER, "the bearer token's issuer changed between"
          + " reading and verifying it");
    }
    if (!audiences.isEmpty()) {
      List<String> aud = claims.getAudience();
      if (aud.stream().noneMatch(audiences::contains)) {
        throw new Rejected(Reason.WRONG_AUDIENCE, "the bearer token of issuer " + issuer
            + (aud.isEmpty() ? " names no audience (aud)" : " is meant for another audience")
            + "; this gateway accepts " + new TreeSet<>(audiences)
            + ": ask the issuer for a token for this audience");
      }
    }
  }

  /** A claim failed its check. */
  static final class Rejected extends BadJWTException {
    private final transient Reason reason;

    Rejected(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    Reason reason() {
      return reason;
    }
  }
}
