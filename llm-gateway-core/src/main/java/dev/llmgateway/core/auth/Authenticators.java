package dev.llmgateway.core.auth;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.spi.Authenticator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Authenticators made of others, so one gateway accepts several kinds of credential (API keys and
 * JWTs, say). The convention they rely on: an authenticator returns null for a caller it does not
 * handle (as {@link ApiKeys} does for anything but an API key), and throws {@link
 * AuthenticationException} for one it handles and refuses. Thread-safe when their parts are.
 */
public final class Authenticators {
  private Authenticators() {}

  /**
   * Asks each authenticator in order: the first principal wins, a null answer passes the caller to
   * the next, an {@link AuthenticationException} ends the search (the credential was recognised
   * and refused). Null when none answers.
   *
   * @throws IllegalArgumentException when none is given
   */
  public static Authenticator firstOf(Authenticator... authenticators) {
    List<Authenticator> all = List.of(authenticators);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("firstOf needs at least one authenticator");
    }
    Authenticator[] chain = all.toArray(new Authenticator[0]);
    return new Authenticator() {
      @Override
      public @Nullable Principal authenticate(Caller credential) {
        for (Authenticator a : chain) {
          Principal p = a.authenticate(credential);
          if (p != null) {
            return p;
          }
        }
        return null;
      }

      @Override
      public String toString() {
        return "Authenticators.firstOf" + all;
      }
    };
  }

  /**
   * Routes by the kind of credential: API keys to {@code apiKeys}, bearer tokens to {@code
   * bearerTokens}. A kind with no authenticator (null) is refused with an {@link
   * AuthenticationException} saying which kinds the gateway accepts; any other caller (a principal
   * such as {@code Principal.ANONYMOUS}) gets null.
   *
   * @throws IllegalArgumentException when both are null
   */
  public static Authenticator byCredential(@Nullable Authenticator apiKeys,
      @Nullable Authenticator bearerTokens) {
    if (apiKeys == null && bearerTokens == null) {
      throw new IllegalArgumentException("byCredential needs an authenticator for API keys, for"
          + " bearer tokens, or both");
    }
    return new Authenticator() {
      @Override
      public @Nullable Principal authenticate(Caller credential) {
        Objects.requireNonNull(credential, "credential");
        if (credential instanceof Caller.ApiKey) {
          if (apiKeys == null) {
            throw new AuthenticationException("this gateway accepts no API keys: send a bearer"
                + " token");
          }
          return apiKeys.authenticate(credential);
        }
        if (credential instanceof Caller.BearerToken) {
          if (bearerTokens == null) {
            throw new AuthenticationException("this gateway accepts no bearer tokens: send an"
                + " API key");
          }
          return bearerTokens.authenticate(credential);
        }
        return null;
      }

      @Override
      public String toString() {
        return "Authenticators.byCredential[apiKeys=" + apiKeys + ", bearerTokens="
            + bearerTokens + "]";
      }
    };
  }
}
