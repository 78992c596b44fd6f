package dev.llmgateway.core.auth;

import dev.llmgateway.Principal;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One API key as a {@link KeyStore} holds it: its id, the SHA-256 hash of the key (never the key),
 * the {@link Principal} it stands for and its life (created, expires, revoked, rotated to another
 * key with a grace period, last used). Immutable but for the last-used time, which lives in an
 * atomic shared by every version of the key ({@link #revoked}, {@link #rotated}), advanced at most
 * once a second ({@link #recordUse}). {@link #toString()} prints neither the hash nor the user.
 * Thread-safe.
 */
public final class StoredKey {
  private static final long NEVER = Long.MIN_VALUE;
  /** The least time between two recorded uses of one key. */
  static final long USE_RESOLUTION_MILLIS = 1_000;

  private final String keyId;
  private final byte[] sha256;
  private final Principal principal;
  private final Instant createdAt;
  private final @Nullable Instant expiresAt;
  private final @Nullable Instant revokedAt;
  private final @Nullable String rotatedTo;
  private final @Nullable Instant graceEndsAt;
  /** The same instants in epoch millis, for the per-call checks; Long.MAX_VALUE for none. */
  final long expiresAtMillis;
  final long graceEndsAtMillis;
  private final AtomicLong lastUsed;

  private StoredKey(String keyId, byte[] sha256, Principal principal, Instant createdAt,
      @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable String rotatedTo,
      @Nullable Instant graceEndsAt, AtomicLong lastUsed) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.sha256 = sha256;
    this.principal = Objects.requireNonNull(principal, "principal");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.expiresAt = expiresAt;
    this.revokedAt = revokedAt;
    this.rotatedTo = rotatedTo;
    this.graceEndsAt = graceEndsAt;
    if ((rotatedTo == null) != (graceEndsAt == null)) {
      throw new IllegalArgumentException("a rotated key has both rotatedTo and graceEndsAt, key "
          + keyId + " has " + (rotatedTo == null ? "only graceEndsAt" : "only rotatedTo"));
    }
    this.expiresAtMillis = expiresAt == null ? Long.MAX_VALUE : expiresAt.toEpochMilli();
    this.graceEndsAtMillis = graceEndsAt == null ? Long.MAX_VALUE : graceEndsAt.toEpochMilli();
    this.lastUsed = lastUsed;
  }

  /**
   * A key as a store restores it (e.g. from a database row).
   *
   * @param keyId the key's id
   * @param sha256 the SHA-256 hash of the whole key, 32 bytes (copied)
   * @param principal who the key stands for
   * @param createdAt when it was created
   * @param expiresAt when it expires, or null for never
   * @param revokedAt when it was revoked, or null
   * @param rotatedTo the id of the key it was rotated to, or null
   * @param graceEndsAt when the old key stops working after a rotation; set with {@code rotatedTo}
   * @param lastUsed when it was last used (to the second), or null
   * @throws IllegalArgumentException when the hash is not 32 bytes, or only one of {@code
   *     rotatedTo} and {@code graceEndsAt} is set
   */
  public static StoredKey of(String keyId, byte[] sha256, Principal principal, Instant createdAt,
      @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable String rotatedTo,
      @Nullable Instant graceEndsAt, @Nullable Instant lastUsed) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a key's SHA-256 hash has 32 bytes, was given "
          + sha256.length);
    }
    return new StoredKey(keyId, sha256.clone(), principal, createdAt, expiresAt, revokedAt,
        rotatedTo, graceEndsAt, new AtomicLong(lastUsed == null ? NEVER : lastUsed.toEpochMilli()));
  }

  /** The key's id (not secret: it is printed, logged and audited). */
  public String keyId() {
    return keyId;
  }

  /** A copy of the SHA-256 hash of the key, for a store to persist and index. */
  public byte[] sha256() {
    return sha256.clone();
  }

  /**
   * Whether {@code hash} is this key's hash, compared in constant time ({@link
   * MessageDigest#isEqual}).
   */
  public boolean hashMatches(byte[] hash) {
    return MessageDigest.isEqual(sha256, hash);
  }

  /** Who the key stands for (its {@code keyId} is this key's). */
  public Principal principal() {
    return principal;
  }

  /** When the key was created. */
  public Instant createdAt() {
    return createdAt;
  }

  /** When the key expires, or null for never. */
  public @Nullable Instant expiresAt() {
    return expiresAt;
  }

  /** When the key was revoked, or null. */
  public @Nullable Instant revokedAt() {
    return revokedAt;
  }

  /** The id of the key this one was rotated to, or null. */
  public @Nullable String rotatedTo() {
    return rotatedTo;
  }

  /** When this key stops working because it was rotated, or null. */
  public @Nullable Instant graceEndsAt() {
    return graceEndsAt;
  }

  /** When the key was last used, to the second (uses within a second are not recorded), or null. */
  public @Nullable Instant lastUsed() {
    long at = lastUsed.get();
    return at == NEVER ? null : Instant.ofEpochMilli(at);
  }

  /**
   * Records a use at {@code nowMillis} if the last recorded one is at least a second older: one
   * volatile read per call, one compare-and-set per key and second, no lock. Returns whether this
   * call recorded it (then the key's store is told, {@link KeyStore#recordUse}).
   */
  public boolean recordUse(long nowMillis) {
    long before = lastUsed.get();
    if (before != NEVER && nowMillis - before < USE_RESOLUTION_MILLIS) {
      return false;
    }
    return lastUsed.compareAndSet(before, nowMillis);
  }

  /** This key revoked at {@code at}, sharing its last-used time. */
  public StoredKey revoked(Instant at) {
    return new StoredKey(keyId, sha256, principal, createdAt, expiresAt,
        Objects.requireNonNull(at, "at"), rotatedTo, graceEndsAt, lastUsed);
  }

  /** This key rotated to {@code newKeyId}, working until {@code graceEndsAt}. */
  public StoredKey rotated(String newKeyId, Instant graceEndsAt) {
    return new StoredKey(keyId, sha256, principal, createdAt, expiresAt, revokedAt,
        Objects.requireNonNull(newKeyId, "newKeyId"),
        Objects.requireNonNull(graceEndsAt, "graceEndsAt"), lastUsed);
  }

  /** The key's id, principal (redacted) and life; never its hash. */
  @Override
  public String toString() {
    return "StoredKey[" + keyId + ", " + principal + ", created " + createdAt
        + (expiresAt != null ? ", expires " + expiresAt : "")
        + (revokedAt != null ? ", revoked " + revokedAt : "")
        + (rotatedTo != null ? ", rotated to " + rotatedTo + " until " + graceEndsAt : "") + "]";
  }
}
