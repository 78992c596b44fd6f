package dev.llmgateway.core.internal.auth;

import dev.llmgateway.AuditEvent;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.CallResult;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.auth.CallerPolicy;
import dev.llmgateway.core.internal.call.Audit;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.spi.Authenticator;
import org.jspecify.annotations.Nullable;

/**
 * The authentication step: turns the caller's credential into a {@link Principal}. A principal
 * passed by the host application is trusted as is — except {@link Principal#ANONYMOUS} on a
 * gateway that authenticates and has no default caller of its own choosing, which goes through the
 * authenticator like a credential (it decides whether anonymous calls are allowed). A credential
 * without an authenticator is refused. Before either, the gateway's {@link CallerPolicy} refuses a
 * caller of a kind it does not accept.
 */
public final class AuthInterceptor implements Step {
  private final @Nullable Authenticator authenticator;
  private final boolean authenticateAnonymous;
  private final CallerPolicy callers;
  private final Audit audit;

  /**
   * The step over {@code authenticator} (null: only principals pass); with {@code
   * authenticateAnonymous}, anonymous calls are authenticated too; {@code callers} says which
   * kinds of caller pass at all.
   */
  public AuthInterceptor(@Nullable Authenticator authenticator, boolean authenticateAnonymous,
      CallerPolicy callers, Audit audit) {
    this.audit = audit;
    this.callers = callers;
    this.authenticator = authenticator;
    this.authenticateAnonymous = authenticator != null && authenticateAnonymous;
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    Caller caller = call.caller();
    boolean anonymous = authenticateAnonymous && caller == Principal.ANONYMOUS;
    if (callers != CallerPolicy.BOTH) {
      boolean principal = caller instanceof Principal;
      if (callers == CallerPolicy.CREDENTIALS_ONLY && principal && !anonymous) {
        throw refused(call, new AuthenticationException("this gateway accepts only credentials"
            + " (CallerPolicy.CREDENTIALS_ONLY) and the call came with a Principal: pass"
            + " Caller.apiKey(...) or Caller.bearerToken(...)"));
      }
      if (callers == CallerPolicy.PRINCIPALS_ONLY && !principal) {
        throw refused(call, new AuthenticationException("this gateway accepts only principals"
            + " from the host application (CallerPolicy.PRINCIPALS_ONLY) and the call came with"
            + " a " + caller.getClass().getSimpleName() + ": authenticate the caller in the"
            + " application and pass its Principal"));
      }
    }
    if (call.principal() == null || anonymous) {
      if (authenticator == null) {
        throw refused(call, new AuthenticationException("the caller presented a "
            + caller.getClass().getSimpleName() + " but this gateway has no authenticator to"
            + " check it: configure GatewayBuilder.authenticator(...) or pass a Principal"));
      }
      Principal principal;
      try {
        principal = authenticator.authenticate(caller);
      } catch (AuthenticationException e) {
        throw refused(call, e);
      }
      if (principal == null) {
        throw refused(call, new AuthenticationException(anonymous
            ? "this gateway authenticates its callers and the call came without one: pass a"
                + " Caller (gateway.chat(request, caller)), choose GatewayBuilder.defaultCaller(...),"
                + " or let the authenticator accept Principal.ANONYMOUS"
            : "the " + caller.getClass().getSimpleName() + " was not accepted"));
      }
      call.principal(principal);
    }
    return chain.proceed(chain.request());
  }

  /**
   * Marks the call refused by authentication and records the audit event; returns the exception
   * to throw. The event's reason is the exception's message: authenticators must not put the
   * credential in it (the SPI says so), and the gateway's own never do.
   */
  private AuthenticationException refused(Call call, AuthenticationException e) {
    call.refuse(UsageRecord.Refusal.AUTHENTICATION);
    audit.emit(new AuditEvent(audit.clock().instant(), AuditEvent.Type.AUTHENTICATION_FAILED,
        call.callId(), null, null, call.caller().getClass().getSimpleName(), null,
        e.getMessage()));
    return e;
  }

}
