package dev.llmgateway.testing.wire;

/**
 * Errors a provider answers with, each in the format's own status and body shape. The comment says
 * which {@link dev.llmgateway.GatewayException} a transport must map it to.
 */
public enum MockError {
  /** 400, the prompt is too long: {@code ContextLengthExceededException}. */
  CONTEXT_LENGTH,
  /** 400, a malformed request: {@code InvalidRequestException}. */
  INVALID_REQUEST,
  /**
   * 400, a request refused with a message that quotes the request's last text (its last user
   * message, or its last embeddings input), as providers' validation errors quote the value they
   * refuse: {@code InvalidRequestException}, whose message must not carry the quoted text, which
   * may hold personal data or a secret the caller put in the prompt.
   */
  QUOTES_PROMPT,
  /**
   * 400 (or the format's equivalent), blocked by a safety filter: {@code ContentFilteredException}.
   */
  CONTENT_FILTERED,
  /** 401, bad key (the body echoes a masked key): {@code AuthenticationException}. */
  AUTHENTICATION,
  /** 403: {@code AccessDeniedException}. */
  PERMISSION,
  /** 404, unknown model: {@code ModelNotFoundException}. */
  MODEL_NOT_FOUND,
  /** 429 with a 2-second Retry-After: {@code RateLimitedException} with {@code retryAfter} 2 s. */
  RATE_LIMITED,
  /**
   * 429 with a 2-second Retry-After from a proxy or validating front end whose body, in the
   * format's own error shape, names a client error ({@code invalid_request_error}, Gemini's {@code
   * INVALID_ARGUMENT}): {@code RateLimitedException} with {@code retryAfter} 2 s, because the
   * status decides the class and the body only refines it.
   */
  RATE_LIMITED_BY_PROXY,
  /** 429, the account's quota or credit is used up: {@code QuotaExhaustedException}. */
  QUOTA_EXHAUSTED,
  /** 500: {@code ProviderUnavailableException}. */
  SERVER_ERROR,
  /** 503: {@code ProviderUnavailableException}. */
  UNAVAILABLE,
  /**
   * Overloaded (529 where the format has it, else 503 saying so): {@code
   * ProviderOverloadedException}.
   */
  OVERLOADED
}
