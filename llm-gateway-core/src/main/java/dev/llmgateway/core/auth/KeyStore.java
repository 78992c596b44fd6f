package dev.llmgateway.core.auth;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link ApiKeys} keeps its keys: {@link StoredKey}s, found by the SHA-256 hash of the key on
 * every authenticated call and by id for administration. Implementations must be thread-safe and
 * <b>linearizable per key</b>: once {@link #save} or {@link #update} returns, every {@link
 * #findByHash} that starts afterwards sees the new version (this is what makes a revocation take
 * effect the moment {@link ApiKeys#revoke} returns). {@link #findByHash} is on the request path:
 * make it fast and lock-free where you can. The default is {@link InMemoryKeyStore}.
 */
public interface KeyStore {

  /** The key whose hash is {@code sha256} (32 bytes), or null. */
  @Nullable StoredKey findByHash(byte[] sha256);

  /** The key with id {@code keyId}, or null. */
  @Nullable StoredKey findById(String keyId);

  /**
   * Adds a new key.
   *
   * @throws IllegalStateException when a key of its id or hash exists, or the store is full
   */
  void save(StoredKey key);

  /**
   * Replaces the key of {@code key}'s id (same hash) with {@code key}.
   *
   * @throws IllegalArgumentException when no key has its id
   */
  void update(StoredKey key);

  /** Every key, in no particular order. */
  List<StoredKey> list();

  /**
   * Told when {@code key} was used at {@code at}; called at most once a second per key (by the
   * thread whose call recorded it, {@link StoredKey#recordUse}), on the request path. A store that
   * persists keys writes it behind; the in-memory store needs nothing (the key holds the time).
   */
  default void recordUse(StoredKey key, Instant at) {}
}
