package dev.llmgateway.core.auth;

import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link KeyStore}: two {@link ConcurrentHashMap}s, by hash and by id, bounded by a
 * capacity ({@value #DEFAULT_CAPACITY} keys unless told otherwise; revoked and rotated keys count
 * until the JVM ends). A lookup by hash takes no lock (one hash-map read); saves and updates are
 * linearizable per key because each is one {@code put} into the by-hash map, which the request
 * path reads. Keys live as long as the store: a restart forgets them, so persist them with a
 * store of your own where that matters. Thread-safe.
 */
public final class InMemoryKeyStore implements KeyStore {
  /** The capacity of {@link #create()}. */
  public static final int DEFAULT_CAPACITY = 1_000_000;

  private final int capacity;
  private final Map<Hash, StoredKey> byHash;
  private final Map<String, StoredKey> byId;

  private InMemoryKeyStore(int capacity) {
    this.capacity = capacity;
    int initial = Math.min(capacity, 1 << 16);
    this.byHash = new ConcurrentHashMap<>(initial);
    this.byId = new ConcurrentHashMap<>(initial);
  }

  /** A store of at most {@value #DEFAULT_CAPACITY} keys. */
  public static InMemoryKeyStore create() {
    return new InMemoryKeyStore(DEFAULT_CAPACITY);
  }

  /**
   * A store of at most {@code capacity} keys.
   *
   * @throws IllegalArgumentException when {@code capacity} is not positive
   */
  public static InMemoryKeyStore withCapacity(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    return new InMemoryKeyStore(capacity);
  }

  @Override
  public @Nullable StoredKey findByHash(byte[] sha256) {
    return byHash.get(new Hash(sha256));
  }

  @Override
  public @Nullable StoredKey findById(String keyId) {
    return byId.get(keyId);
  }

  /**
   * {@inheritDoc} Saves are serialised among themselves so the capacity holds.
   *
   * @throws IllegalStateException when a key of its id or hash exists, or the store is full
   */
  @Override
  public synchronized void save(StoredKey key) {
    if (byId.size() >= capacity) {
      throw new IllegalStateException("the in-memory key store is full (" + capacity
          + " keys): make it with InMemoryKeyStore.withCapacity(n) for more");
    }
    if (byId.containsKey(key.keyId())) {
      throw new IllegalStateException("a key with id " + key.keyId() + " exists");
    }
    Hash hash = new Hash(key.sha256());
    if (byHash.putIfAbsent(hash, key) != null) {
      throw new IllegalStateException("a key with the hash of key " + key.keyId() + " exists");
    }
    byId.put(key.keyId(), key);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when no key has its id, or its hash differs
   */
  @Override
  public synchronized void update(StoredKey key) {
    StoredKey old = byId.get(key.keyId());
    if (old == null) {
      throw new IllegalArgumentException("no key has id " + key.keyId());
    }
    Hash hash = new Hash(key.sha256());
    if (!old.hashMatches(hash.bytes)) {
      throw new IllegalArgumentException("an update must keep the hash of key " + key.keyId());
    }
    byHash.put(hash, key);
    byId.put(key.keyId(), key);
  }

  @Override
  public List<StoredKey> list() {
    return List.copyOf(byId.values());
  }

  /** How many keys the store holds. */
  public int size() {
    return byId.size();
  }

  @Override
  public String toString() {
    return "InMemoryKeyStore[" + byId.size() + " of " + capacity + " keys]";
  }

  /**
   * A SHA-256 hash as a map key: its first four bytes are its hash code (a hash's bytes are
   * uniform), and equality is {@link MessageDigest#isEqual} (constant time).
   */
  private static final class Hash {
    final byte[] bytes;
    private final int hashCode;

    Hash(byte[] bytes) {
      this.bytes = bytes;
      this.hashCode = bytes.length < 4 ? 0 : (bytes[0] << 24) | ((bytes[1] & 0xff) << 16)
          | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    }

    @Override
    public int hashCode() {
      return hashCode;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hash h && MessageDigest.isEqual(bytes, h.bytes);
    }

    @Override
    public String toString() {
      return "Hash[redacted]";
    }
  }
}
