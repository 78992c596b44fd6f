package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The caller is authenticated but may not do this (model, provider, token limit, org policy). Not
 * retriable. The message says which rule refused and what to change; it never holds a credential.
 */
public class AccessDeniedException extends GatewayException {
  private final @Nullable String rule;

  /** Creates one with a message only. */
  public AccessDeniedException(String message) {
    this(message, ErrorDetails.NONE, null);
  }

  /** Creates one with details and an optional cause. */
  public AccessDeniedException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, details, cause);
    this.rule = null;
  }

  /**
   * Creates one naming the access rule that refused.
   *
   * @param message what was refused and what to change
   * @param rule the name of the rule (the first, when several refused), or null
   */
  public AccessDeniedException(String message, @Nullable String rule) {
    super(message, ErrorDetails.NONE, null);
    this.rule = rule;
  }

  /** The name of the access rule that refused (the first, when several did), or null. */
  public @Nullable String rule() {
    return rule;
  }
}
