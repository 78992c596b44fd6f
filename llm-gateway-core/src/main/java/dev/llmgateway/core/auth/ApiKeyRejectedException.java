package dev.llmgateway.core.auth;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.ErrorDetails;
import org.jspecify.annotations.Nullable;

/**
 * An API key was refused by {@link ApiKeys}, for a {@link #rejection()}. The message says what is
 * wrong and what to do, and names the key's id when the key was found; it never holds the key nor
 * its hash. Not retriable.
 */
public final class ApiKeyRejectedException extends AuthenticationException {
  /** Why a key was refused. */
  public enum Reason {
    /**
     * Not of this gateway's form (wrong prefix, wrong length, longer than {@value
     * ApiKeys#MAX_KEY_LENGTH} characters, a character outside printable ASCII); refused before it
     * is hashed.
     */
    MALFORMED,
    /** Well formed, but no key of the store has its hash. */
    UNKNOWN,
    /** The key was revoked. */
    REVOKED,
    /** The key's lifetime ended. */
    EXPIRED,
    /** The key was rotated and the grace period of the old key ended. */
    ROTATED_OUT
  }

  private final Reason reason;
  private final @Nullable String keyId;

  /**
   * Creates one.
   *
   * @param reason why
   * @param keyId the refused key's id when it was found, else null
   * @param detail what is wrong, quoting no key
   */
  public ApiKeyRejectedException(Reason reason, @Nullable String keyId, String detail) {
    super("API key refused (" + reason + "): " + detail, ErrorDetails.NONE, null);
    this.reason = reason;
    this.keyId = keyId;
  }

  /** Why the key was refused. */
  public Reason rejection() {
    return reason;
  }

  /** The refused key's id when the key was found (revoked, expired, rotated out), else null. */
  public @Nullable String keyId() {
    return keyId;
  }
}
