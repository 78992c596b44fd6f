package dev.llmgateway.core.internal.auth;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.CallResult;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.spi.Authenticator;
import dev.llmgateway.spi.Interceptor;
import org.jspecify.annotations.Nullable;

/**
 * The authentication step: turns the caller's credential into a {@link Principal}. A principal passed by the host
 * application is trusted as is; a credential without an authenticator is refused.
 */
public final class AuthInterceptor implements Interceptor {
  private final @Nullable Authenticator authenticator;

  public AuthInterceptor(@Nullable Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    if (call.principal() == null) {
      Caller credential = call.caller();
      if (authenticator == null) {
        throw new AuthenticationException("the caller presented a "
            + credential.getClass().getSimpleName() + " but this gateway has no authenticator to"
            + " check it: configure GatewayBuilder.authenticator(...) or pass a Principal");
      }
      Principal principal = authenticator.authenticate(credential);
      if (principal == null) {
        throw new AuthenticationException("the " + credential.getClass().getSimpleName()
            + " was not accepted");
      }
      call.principal(principal);
    }
    return chain.proceed(chain.request());
  }
}
