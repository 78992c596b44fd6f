package dev.llmgateway.spi;

import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import org.jspecify.annotations.Nullable;

/**
 * Turns a caller's credential ({@link Caller.ApiKey} or {@link Caller.BearerToken}) into a {@link
 * Principal}. Must be thread-safe. Must not put the credential into any message or log line.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Checks a credential.
   *
   * @return the caller's principal, or null when this authenticator does not handle this kind of
   *     caller (the gateway then refuses the call; a composite authenticator asks the next)
   * @throws dev.llmgateway.AuthenticationException when it is unknown, expired or malformed
   */
  @Nullable Principal authenticate(Caller credential);
}
