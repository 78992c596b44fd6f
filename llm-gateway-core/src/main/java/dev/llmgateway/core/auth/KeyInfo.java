package dev.llmgateway.core.auth;

import dev.llmgateway.Principal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ApiKeys#list()} tells of a key: metadata only — its id, principal, life and status
 * at the time of the listing — never the key nor its hash. Immutable.
 *
 * @param keyId the key's id
 * @param principal who the key stands for (prints redacted)
 * @param status whether it works, at the time of the listing
 * @param createdAt when it was created
 * @param expiresAt when it expires, or null for never
 * @param revokedAt when it was revoked, or null
 * @param rotatedTo the key it was rotated to, or null
 * @param graceEndsAt when it stops working because it was rotated, or null
 * @param lastUsed when it was last used, to the second, or null
 */
public record KeyInfo(
    String keyId,
    Principal principal,
    Status status,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant revokedAt,
    @Nullable String rotatedTo,
    @Nullable Instant graceEndsAt,
    @Nullable Instant lastUsed) {

  /** Whether a key works. */
  public enum Status {
    /** It works. */
    ACTIVE,
    /** It was rotated and works until its grace period ends. */
    IN_GRACE,
    /** It was rotated and its grace period ended. */
    ROTATED_OUT,
    /** Its lifetime ended. */
    EXPIRED,
    /** It was revoked. */
    REVOKED
  }

  /** The metadata of {@code key} at {@code nowMillis}. */
  static KeyInfo of(StoredKey key, long nowMillis) {
    return new KeyInfo(key.keyId(), key.principal(), status(key, nowMillis), key.createdAt(),
        key.expiresAt(), key.revokedAt(), key.rotatedTo(), key.graceEndsAt(), key.lastUsed());
  }

  /** The status of {@code key} at {@code nowMillis}, by the order {@link ApiKeys} checks. */
  static Status status(StoredKey key, long nowMillis) {
    if (key.revokedAt() != null) {
      return Status.REVOKED;
    }
    if (nowMillis >= key.graceEndsAtMillis) {
      return Status.ROTATED_OUT;
    }
    if (nowMillis >= key.expiresAtMillis) {
      return Status.EXPIRED;
    }
    return key.rotatedTo() != null ? Status.IN_GRACE : Status.ACTIVE;
  }
}
