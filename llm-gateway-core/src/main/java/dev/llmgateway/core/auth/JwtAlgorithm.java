package dev.llmgateway.core.auth;

/**
 * A signature algorithm an issuer's tokens may use. Each issuer allows only its own list, so a
 * token signed otherwise — unsigned ({@code alg: none}), or HS256 keyed with an RSA public key's
 * bytes (algorithm confusion) — is refused before any key is tried.
 */
public enum JwtAlgorithm {
  /** HMAC with SHA-256, a secret shared with the issuer (at least 32 bytes). */
  HS256,
  /** RSASSA-PKCS1-v1_5 with SHA-256, an RSA public key (2048 bits or more). */
  RS256,
  /** ECDSA on P-256 with SHA-256, an EC public key. */
  ES256
}
