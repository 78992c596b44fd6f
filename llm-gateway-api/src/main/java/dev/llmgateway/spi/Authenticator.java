package dev.llmgateway.spi;

import dev.llmgateway.Caller;
import dev.llmgateway.Principal;

/**
 * Turns a caller's credential ({@link Caller.ApiKey} or {@link Caller.BearerToken}) into a {@link
 * Principal}. Must be thread-safe. Must not put the credential into any message or log line.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Checks a credential.
   *
   * @throws dev.llmgateway.AuthenticationException when it is unknown, expired or malformed
   */
  Principal authenticate(Caller credential);
}
