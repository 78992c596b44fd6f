package dev.llmgateway.core.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.llmgateway.TokenRejectedException;
import dev.llmgateway.TokenRejectedException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies the tokens of one issuer: the algorithm against the issuer's own list (so {@code alg:
 * none} and an HS256 token keyed with an RSA public key's bytes never reach a verifier), the
 * signature with the issuer's own keys through nimbus' {@link DefaultJWTProcessor}, then the
 * claims ({@link ClaimsCheck}). Every failure becomes a {@link TokenRejectedException}; nimbus'
 * exceptions are never chained as causes, since their messages may quote parts of the token.
 * Thread-safe.
 */
final class IssuerVerifier {
  private final String issuer;
  private final Set<JWSAlgorithm> algorithms;
  private final String allowed;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  IssuerVerifier(JwtVerifier.IssuerSettings settings, Clock clock, Duration clockSkew) {
    this.issuer = settings.issuer();
    this.algorithms = settings.algorithms();
    TreeSet<String> names = new TreeSet<>();
    algorithms.forEach(a -> names.add(a.getName()));
    this.allowed = String.join(", ", names);
    // the header's typ is checked before (JwtVerifier), nimbus need not check it again
    processor.setJWSTypeVerifier((type, context) -> { });
    processor.setJWSKeySelector(IssuerKeys.selector(settings, clock));
    processor.setJWTClaimsSetVerifier(
        new ClaimsCheck(issuer, settings.audiences(), clock, clockSkew));
  }

  /** The verified claims. */
  JWTClaimsSet verify(SignedJWT jwt) {
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    if (!algorithms.contains(algorithm)) {
      throw new TokenRejectedException(Reason.ALGORITHM_NOT_ALLOWED, "the bearer token is signed"
          + " with an algorithm issuer " + issuer + " is not allowed to use (allowed: " + allowed
          + "): get a token signed as the issuer signs, or allow the algorithm for this issuer");
    }
    try {
      return processor.process(jwt, null);
    } catch (ClaimsCheck.Rejected e) {
      throw new TokenRejectedException(e.reason(), e.getMessage());
    } catch (BadJWSException e) {
      throw new TokenRejectedException(Reason.BAD_SIGNATURE, "the bearer token's signature does"
          + " not verify with the keys of issuer " + issuer + ": the token was altered, or signed"
          + " by someone else");
    } catch (BadJOSEException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "the bearer token could not be"
          + " verified as a signed JWT of issuer " + issuer);
    } catch (IssuerKeys.UnknownKeyId | RateLimitReachedException e) {
      throw new TokenRejectedException(Reason.UNKNOWN_KEY_ID, "no key of issuer " + issuer
          + " matches the bearer token's key id (kid)"
          + (e instanceof RateLimitReachedException
              ? ", and its key set was fetched too recently to be fetched again now" : "")
          + ": the token was signed with a key the issuer does not publish (or not yet)");
    } catch (IssuerKeys.KeysUnavailable e) {
      throw new TokenRejectedException(Reason.KEYS_UNAVAILABLE, e.getMessage());
    } catch (KeySourceException e) {
      throw new TokenRejectedException(Reason.KEYS_UNAVAILABLE, "the keys of issuer " + issuer
          + " could not be fetched (" + e.getClass().getSimpleName() + "); its tokens are"
          + " refused until they can be: check the JWKS URL and the network");
    } catch (JOSEException e) {
      throw new TokenRejectedException(Reason.BAD_SIGNATURE, "the bearer token's signature could"
          + " not be checked with the keys of issuer " + issuer);
    }
  }
}
