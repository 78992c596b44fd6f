package dev.llmgateway.core.auth;

import dev.llmgateway.AuditEvent;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.core.audit.Slf4jAuditSink;
import dev.llmgateway.core.auth.ApiKeyRejectedException.Reason;
import dev.llmgateway.core.internal.auth.KeyFormat;
import dev.llmgateway.core.internal.call.Audit;
import dev.llmgateway.spi.AuditSink;
import dev.llmgateway.spi.Authenticator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in API keys: an {@link Authenticator} for {@link Caller.ApiKey} and its admin API,
 * which works at run time without rebuilding the gateway (create, list, revoke, rotate with a
 * grace period, last-used time).
 *
 * <pre>{@code
 * AuditSink audit = ...;                       // the same sink the gateway is given
 * ApiKeys keys = ApiKeys.builder().clock(clock).audit(audit).build();
 * Gateway gateway = Gateway.builder().provider(...).clock(clock)
 *     .authenticator(keys).auditSink(audit).build();
 * CreatedKey key = keys.create(KeySpec.of(Principal.builder().org("acme").team("search").build()),
 *     "alice@acme");                           // hand key.secret() to its owner, once
 * gateway.chat(request, Caller.apiKey(secret));
 * }</pre>
 *
 * <p><b>Keys.</b> A key reads {@code gw_<key id>_<secret>}: a recognisable prefix (for secret
 * scanners; {@link Builder#prefix}), the key's id (16 characters, not secret) and 32 bytes of
 * {@link SecureRandom} in base64url. The raw key exists only in the {@link CreatedKey} that {@link
 * #create} and {@link #rotate} return; the store keeps its SHA-256 hash. Nothing here logs, prints
 * or audits a key or its hash, and no exception quotes either.
 *
 * <p><b>Lookup.</b> A presented key is checked for form first (at most {@value #MAX_KEY_LENGTH}
 * characters, printable ASCII, the prefix, the exact length; else {@link Reason#MALFORMED},
 * unhashed), then hashed once with SHA-256 and looked up by that hash: one map read in the
 * in-memory store, and the stored hash compared again with {@link
 * java.security.MessageDigest#isEqual} (constant time). A map keyed by an unsalted fast hash is
 * safe here because the key is high-entropy (256 random bits): there is no dictionary to try, a
 * leaked hash cannot be reversed, and a timing difference in the map's probing reveals at most
 * bytes of a hash the attacker cannot choose the preimage of. (Passwords, which are low-entropy,
 * would need a slow salted hash and could not be looked up this way.) Then, in this order: revoked
 * ({@link Reason#REVOKED}), rotated out ({@link Reason#ROTATED_OUT}), expired ({@link
 * Reason#EXPIRED}), each on the builder's clock; else the key's {@link Principal}.
 *
 * <p><b>Last used</b> is kept per key in an atomic, written at most once a second per key by a
 * compare-and-set (so {@link #lastUsed} is exact to the second); authenticating takes no lock.
 *
 * <p><b>Concurrency.</b> The admin methods are serialised among themselves (one monitor per {@code
 * ApiKeys}); {@link #authenticate} takes no lock. Guarantee: once {@link #revoke} has returned, no
 * authentication that starts afterwards accepts the key; once {@link #rotate} has returned, the
 * new key is accepted and the old one is refused from the end of its grace period on the clock;
 * an authentication that overlaps the revocation may see either state. This holds for any store
 * that keeps {@link KeyStore}'s per-key linearizability.
 *
 * <p><b>Audit.</b> Each admin change is an {@link AuditEvent} ({@code KEY_CREATED}, {@code
 * KEY_REVOKED}, {@code KEY_ROTATED}; actor = the name the admin call passes, subject = the key's
 * id) to the sink given to {@link Builder#audit}: give it the sink you give {@code
 * GatewayBuilder.auditSink}, and refused keys (audited by the gateway) and key administration land
 * in one trail. Without one, events are logged by {@link Slf4jAuditSink}, as the gateway's are.
 *
 * <p>Thread-safe.
 */
public final class ApiKeys implements Authenticator {
  /** The longest key looked at; a longer one is refused unread. */
  public static final int MAX_KEY_LENGTH = KeyFormat.MAX_KEY_LENGTH;
  /** The prefix of keys unless {@link Builder#prefix} says otherwise. */
  public static final String DEFAULT_PREFIX = "gw_";

  private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
  private static final int MAX_ACTOR_LENGTH = 256;

  private final KeyStore store;
  private final Clock clock;
  private final Audit audit;
  private final KeyFormat format;

  private ApiKeys(Builder b) {
    this.store = b.store != null ? b.store : InMemoryKeyStore.create();
    this.clock = b.clock;
    this.audit = new Audit(List.of(b.audit != null ? b.audit : Slf4jAuditSink.create()), clock);
    this.format = new KeyFormat(b.prefix, b.random != null ? b.random : new SecureRandom());
  }

  /** A builder: in-memory store, the system clock, audit through SLF4J, prefix {@code gw_}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The principal of an API key, or null for a caller that is not an {@link Caller.ApiKey} (a
   * composite authenticator then asks the next; the gateway refuses the call).
   *
   * @throws ApiKeyRejectedException when the key is malformed, unknown, revoked, rotated out or
   *     expired, with that {@link ApiKeyRejectedException#rejection() rejection}
   */
  @Override
  public @Nullable Principal authenticate(Caller credential) {
    if (!(credential instanceof Caller.ApiKey apiKey)) {
      return null;
    }
    String key = apiKey.secret();
    String malformed = format.malformed(key);
    if (malformed != null) {
      throw new ApiKeyRejectedException(Reason.MALFORMED, null, malformed);
    }
    byte[] hash = KeyFormat.sha256(key);
    StoredKey stored = store.findByHash(hash);
    if (stored == null || !stored.hashMatches(hash)) {
      throw new ApiKeyRejectedException(Reason.UNKNOWN, null,
          "no key of this gateway matches: check that the whole key was sent, or create one");
    }
    long now = clock.millis();
    if (stored.revokedAt() != null) {
      throw new ApiKeyRejectedException(Reason.REVOKED, stored.keyId(), "key " + stored.keyId()
          + " was revoked at " + stored.revokedAt() + ": ask for a new key");
    }
    if (now >= stored.graceEndsAtMillis) {
      throw new ApiKeyRejectedException(Reason.ROTATED_OUT, stored.keyId(), "key "
          + stored.keyId() + " was rotated to " + stored.rotatedTo() + " and its grace period"
          + " ended at " + stored.graceEndsAt() + ": use the new key");
    }
    if (now >= stored.expiresAtMillis) {
      throw new ApiKeyRejectedException(Reason.EXPIRED, stored.keyId(), "key " + stored.keyId()
          + " expired at " + stored.expiresAt() + ": ask for a new key");
    }
    if (stored.recordUse(now)) {
      try {
        store.recordUse(stored, Instant.ofEpochMilli(now));
      } catch (RuntimeException e) {
        LOG.warn("key store {} failed to record the use of key {}: {}",
            store.getClass().getName(), stored.keyId(), e.getClass().getName());
      }
    }
    return stored.principal();
  }

  /**
   * Makes a key for {@code spec}'s principal and stores its hash; audited as {@code KEY_CREATED}.
   *
   * @param actor who asks, as the host application names its operator (audited; at most 256
   *     printable characters)
   * @return the key: its raw form is in {@link CreatedKey#secret()} and nowhere else
   * @throws IllegalArgumentException when {@code actor} is blank, too long or has control
   *     characters
   * @throws IllegalStateException when the store refuses the key (e.g. it is full)
   */
  public synchronized CreatedKey create(KeySpec spec, String actor) {
    Objects.requireNonNull(spec, "spec");
    checkActor(actor);
    Instant now = clock.instant();
    CreatedKey created = make(spec.principal(), now,
        spec.lifetime() == null ? null : now.plus(spec.lifetime()));
    audit(AuditEvent.Type.KEY_CREATED, actor, created.keyId(), "created for "
        + created.info().principal() + (created.info().expiresAt() != null
            ? ", expires " + created.info().expiresAt() : ""));
    return created;
  }

  /**
   * The metadata of every key (never a key or hash), sorted by creation time then id, with their
   * status now.
   */
  public List<KeyInfo> list() {
    long now = clock.millis();
    List<KeyInfo> infos = new ArrayList<>();
    for (StoredKey key : store.list()) {
      infos.add(KeyInfo.of(key, now));
    }
    infos.sort(Comparator.comparing(KeyInfo::createdAt).thenComparing(KeyInfo::keyId));
    return List.copyOf(infos);
  }

  /** The metadata of the key with id {@code keyId}, if there is one. */
  public Optional<KeyInfo> info(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    StoredKey key = KeyFormat.isKeyId(keyId) ? store.findById(keyId) : null;
    return key == null ? Optional.empty() : Optional.of(KeyInfo.of(key, clock.millis()));
  }

  /**
   * When the key with id {@code keyId} was last used (to the second), if it was.
   *
   * @throws IllegalArgumentException when no key has this id
   */
  public Optional<Instant> lastUsed(String keyId) {
    return Optional.ofNullable(find(keyId).lastUsed());
  }

  /**
   * Revokes a key: from the moment this returns, it authenticates no call. Audited as {@code
   * KEY_REVOKED}; revoking a revoked key changes nothing and is not audited.
   *
   * @param actor who asks (audited)
   * @return whether the key was revoked now (false: it already was)
   * @throws IllegalArgumentException when no key has this id, or {@code actor} is not acceptable
   */
  public synchronized boolean revoke(String keyId, String actor) {
    checkActor(actor);
    StoredKey key = find(keyId);
    if (key.revokedAt() != null) {
      return false;
    }
    store.update(key.revoked(clock.instant()));
    audit(AuditEvent.Type.KEY_REVOKED, actor, keyId, "revoked");
    return true;
  }

  /**
   * Rotates a key: makes a new one for the same principal (and, if the old one expires, the same
   * lifetime from now), and lets the old one work for {@code gracePeriod} more on the clock (zero:
   * it stops now). Audited as {@code KEY_CREATED} for the new key and {@code KEY_ROTATED} for the
   * old.
   *
   * @param actor who asks (audited)
   * @return the new key
   * @throws IllegalArgumentException when no key has this id, the grace period is negative, or
   *     {@code actor} is not acceptable
   * @throws IllegalStateException when the key is revoked or was rotated already
   */
  public synchronized CreatedKey rotate(String keyId, Duration gracePeriod, String actor) {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("a grace period must not be negative, was "
          + gracePeriod);
    }
    checkActor(actor);
    StoredKey old = find(keyId);
    if (old.revokedAt() != null) {
      throw new IllegalStateException("key " + keyId + " was revoked; create a new key instead");
    }
    if (old.rotatedTo() != null) {
      throw new IllegalStateException("key " + keyId + " was already rotated to "
          + old.rotatedTo() + "; rotate that one");
    }
    Instant now = clock.instant();
    Instant expires = old.expiresAt() == null ? null
        : now.plus(Duration.between(old.createdAt(), old.expiresAt()));
    Principal principal = old.principal();
    Principal unkeyed = new Principal(principal.orgId(), principal.teamId(),
        principal.projectId(), principal.userId(), null, principal.scopes(),
        principal.attributes());
    CreatedKey created = make(unkeyed, now, expires);
    Instant graceEnds = now.plus(gracePeriod);
    store.update(old.rotated(created.keyId(), graceEnds));
    audit(AuditEvent.Type.KEY_CREATED, actor, created.keyId(), "created by rotating " + keyId);
    audit(AuditEvent.Type.KEY_ROTATED, actor, keyId, "rotated to " + created.keyId()
        + "; the old key works until " + graceEnds);
    return created;
  }

  private CreatedKey make(Principal principal, Instant now, @Nullable Instant expires) {
    String keyId = format.newKeyId();
    while (store.findById(keyId) != null) {
      keyId = format.newKeyId();
    }
    String secret = format.newKey(keyId);
    Principal keyed = new Principal(principal.orgId(), principal.teamId(),
        principal.projectId(), principal.userId(), keyId, principal.scopes(),
        principal.attributes());
    StoredKey stored = StoredKey.of(keyId, KeyFormat.sha256(secret), keyed, now, expires, null,
        null, null, null);
    store.save(stored);
    return new CreatedKey(secret, KeyInfo.of(stored, now.toEpochMilli()));
  }

  private StoredKey find(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (!KeyFormat.isKeyId(keyId)) {
      // Never quote it: it may be a raw key passed by mistake.
      throw new IllegalArgumentException("not a key id (a key id is " + KeyFormat.KEY_ID_LENGTH
          + " characters of a-z and 2-7, as KeyInfo.keyId() gives it)");
    }
    StoredKey key = store.findById(keyId);
    if (key == null) {
      throw new IllegalArgumentException("no key has id " + keyId);
    }
    return key;
  }

  private void audit(AuditEvent.Type type, String actor, String keyId, String reason) {
    audit.emit(new AuditEvent(clock.instant(), type, null, null, actor, keyId, null, reason));
  }

  private static void checkActor(String actor) {
    Objects.requireNonNull(actor, "actor");
    if (actor.isBlank() || actor.length() > MAX_ACTOR_LENGTH) {
      throw new IllegalArgumentException("an actor is 1 to " + MAX_ACTOR_LENGTH
          + " characters naming who administers the key, was " + actor.length());
    }
    for (int i = 0; i < actor.length(); i++) {
      if (Character.isISOControl(actor.charAt(i))) {
        throw new IllegalArgumentException("an actor must not hold control characters (it is"
            + " written to the audit trail)");
      }
    }
  }

  @Override
  public String toString() {
    return "ApiKeys[prefix=" + format.prefix() + ", store=" + store + "]";
  }

  /** Builds {@link ApiKeys}. Not thread-safe. */
  public static final class Builder {
    private @Nullable KeyStore store;
    private Clock clock = Clock.systemUTC();
    private @Nullable AuditSink audit;
    private String prefix = DEFAULT_PREFIX;
    private @Nullable SecureRandom random;

    private Builder() {}

    /** Where keys are kept; defaults to a new {@link InMemoryKeyStore}. */
    public Builder store(KeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The clock of creation, expiry, grace periods, last-used times and audit timestamps; give it
     * the gateway's clock. Defaults to the system clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The sink of key administration events; give it the one given to {@code
     * GatewayBuilder.auditSink}. Defaults to {@link Slf4jAuditSink#create()}.
     */
    public Builder audit(AuditSink sink) {
      this.audit = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * The prefix of every key, 2 to 16 characters of {@code a-z}, {@code 0-9} and {@code _},
     * ending in {@code _}; defaults to {@value ApiKeys#DEFAULT_PREFIX}. Keys made with another
     * prefix are refused as malformed.
     *
     * @throws IllegalArgumentException when it is not of that form
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.matches("[a-z0-9_]{1,15}_")) {
        throw new IllegalArgumentException("a key prefix is 2 to 16 characters of a-z, 0-9 and"
            + " '_', ending in '_' (e.g. 'acme_'), was '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /** The source of key ids and keys; defaults to a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Builds the keys over the store. */
    public ApiKeys build() {
      return new ApiKeys(this);
    }
  }
}
