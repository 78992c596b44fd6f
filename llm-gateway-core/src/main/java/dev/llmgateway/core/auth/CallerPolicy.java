package dev.llmgateway.core.auth;

/**
 * Which kinds of caller a gateway accepts ({@code GatewayBuilder.callers(...)}): credentials its
 * authenticator checks ({@link dev.llmgateway.Caller.ApiKey}, {@link
 * dev.llmgateway.Caller.BearerToken}), {@link dev.llmgateway.Principal}s the host application
 * already authenticated (trusted as is), or both. A caller of a kind the gateway does not accept
 * is refused with an {@link dev.llmgateway.AuthenticationException} naming this setting; the call
 * is metered {@code REFUSED} and audited as {@code AUTHENTICATION_FAILED}.
 */
public enum CallerPolicy {
  /**
   * Only credentials: a principal passed with a call is refused. A call without a caller (or as
   * {@code Principal.ANONYMOUS}) goes through the authenticator, which decides. Needs an
   * authenticator and no principal as the default caller ({@code build()} checks).
   */
  CREDENTIALS_ONLY,
  /**
   * Only principals from the host application: an API key or bearer token is refused. Refuses an
   * authenticator ({@code build()} checks): nothing would ever reach it.
   */
  PRINCIPALS_ONLY,
  /** Both (the default): credentials go through the authenticator, principals are trusted. */
  BOTH
}
