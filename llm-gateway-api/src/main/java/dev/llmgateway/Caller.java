package dev.llmgateway;

import java.util.Objects;

/**
 * Who makes a call: a credential for the gateway's authentication step to check ({@link ApiKey},
 * {@link BearerToken}), or a {@link Principal} the host application already authenticated (trusted
 * as is).
 *
 * <p>Credentials never print their secret: {@code toString()} says only what kind they are.
 */
public sealed interface Caller permits Caller.ApiKey, Caller.BearerToken, Principal {

  /** A caller presenting an API key. */
  static Caller apiKey(String key) {
    return new ApiKey(key);
  }

  /** A caller presenting a bearer token (e.g. a JWT). */
  static Caller bearerToken(String token) {
    return new BearerToken(token);
  }

  /**
   * An API key presented by a caller.
   *
   * @param secret the key; never printed
   */
  record ApiKey(String secret) implements Caller {
    /** Validates. */
    public ApiKey {
      Objects.requireNonNull(secret, "secret");
      if (secret.isBlank()) {
        throw new IllegalArgumentException("an API key must not be blank");
      }
    }

    @Override
    public String toString() {
      return "ApiKey[redacted]";
    }
  }

  /**
   * A bearer token (e.g. a JWT) presented by a caller.
   *
   * @param token the token; never printed
   */
  record BearerToken(String token) implements Caller {
    /** Validates. */
    public BearerToken {
      Objects.requireNonNull(token, "token");
      if (token.isBlank()) {
        throw new IllegalArgumentException("a bearer token must not be blank");
      }
    }

    @Override
    public String toString() {
      return "BearerToken[redacted]";
    }
  }
}
