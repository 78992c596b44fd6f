package dev.llmgateway.redis;

import dev.llmgateway.core.limit.Acquisition;
import dev.llmgateway.core.limit.InMemoryLimitStore;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.LimitStore;
import dev.llmgateway.core.limit.Settlement;
import dev.llmgateway.redis.internal.Availability;
import dev.llmgateway.redis.internal.LocalAdmissions;
import dev.llmgateway.redis.internal.Reconciler;
import dev.llmgateway.redis.internal.RedisLimits;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LimitStore} on Redis, shared by every JVM that uses the same Redis and key prefix: made
 * by {@link RedisStores}, given to {@code RateLimits.builder().store(...)}.
 *
 * <p><b>Counting.</b> The algorithm of {@link LimitStore} (a sliding window of {@code N + 1}
 * buckets, each counter's time never going back; slots under leases), in Lua: a window is a hash
 * holding the ring of bucket counts, its total, its newest bucket and time; a concurrency limit a
 * sorted set of lease ids by when they end (expired leases dropped when it is full). {@link
 * #acquire} runs one script per tenant, all sent at once (one round trip), each all-or-nothing and
 * atomic; across tenants (a gateway-wide limit beside an org's) a refusal gives back what the
 * other tenants' scripts took. {@link #settle} is one script per tenant, atomic per counter.
 * Windows count on the clock of {@link RedisStores.Builder#timeSource(TimeSource)}; the times an
 * acquisition reports are that clock's.
 *
 * <p><b>While Redis fails</b> (see {@link RedisStores}): failing closed, {@link #acquire} throws
 * {@link RedisUnavailableException} (after at most one command timeout; at once while the outage
 * is known); failing open, it counts in a local {@link InMemoryLimitStore} with every limit
 * divided by the expected replicas (at least 1), and the settlements of those admissions go to it.
 * {@link #settle} never throws: what Redis did not take is kept and written when it answers
 * (releases of slots, which are idempotent, until they are written; token corrections once). A
 * slot taken by an acquisition whose reply timed out (so the call never settles it) is released
 * when Redis answers again.
 *
 * <p>Thread-safe.
 */
public final class RedisLimitStore implements LimitStore {
  private final RedisStores stores;
  private final RedisLimits redis;
  private final boolean failOpen;
  private final int replicas;
  private final @Nullable InMemoryLimitStore local;
  private final LocalAdmissions localAdmissions = new LocalAdmissions(100_000);
  private volatile boolean localUsed;

  RedisLimitStore(RedisStores stores, RedisLimits redis) {
    this.stores = stores;
    this.redis = redis;
    this.failOpen = stores.policy().mode() == FailurePolicy.Mode.FAIL_OPEN;
    this.replicas = stores.policy().expectedReplicas();
    this.local = failOpen ? new InMemoryLimitStore() : null;
  }

  /**
   * Takes every request or none, in Redis (see the class javadoc for how, and for what happens
   * while Redis fails).
   *
   * @throws RedisUnavailableException if Redis failed and the stores fail closed
   */
  @Override
  public Acquisition acquire(List<LimitRequest> requests, long nowMillis) {
    if (requests.isEmpty()) {
      return Acquisition.admitted(new long[0]);
    }
    Availability availability = stores.availability();
    RedisException failure = null;
    if (availability.shouldTry()) {
      try {
        Acquisition acquired = redis.acquire(requests, nowMillis, this::keep);
        stores.succeeded();
        return acquired;
      } catch (RedisException e) {
        availability.failed(e);
        failure = e;
        if (e instanceof RedisCommandTimeoutException) {
          releaseLater(requests); // the script may have taken its slots: nobody would release them
        }
      }
    }
    return whenDown(requests, nowMillis, failure);
  }

  private Acquisition whenDown(List<LimitRequest> requests, long nowMillis,
      @Nullable RedisException failure) {
    Availability availability = stores.availability();
    InMemoryLimitStore fallback = local;
    if (fallback == null) {
      availability.refused();
      throw new RedisUnavailableException((failure == null ? "Redis is failing"
          : "Redis failed (" + Availability.describe(failure) + ")")
          + "; the call was not admitted: the rate-limit store fails closed", failure);
    }
    availability.fellBack();
    localUsed = true;
    List<LimitRequest> scaled = new ArrayList<>(requests.size());
    for (LimitRequest r : requests) {
      scaled.add(scaled(r));
    }
    Acquisition acquired = fallback.acquire(scaled, nowMillis);
    if (acquired.isAdmitted()) {
      for (int i = 0; i < requests.size(); i++) {
        LimitRequest r = requests.get(i);
        if (!r.isSlot()) {
          localAdmissions.add(r.counter(), acquired.countedAtMillis(i), r.windowMillis(),
              nowMillis);
        }
      }
    }
    return acquired;
  }

  /** {@code r} with its limit divided by the expected replicas, at least 1. */
  private LimitRequest scaled(LimitRequest r) {
    long limit = Math.max(1, r.limit() / replicas);
    return limit == r.limit() ? r : new LimitRequest(r.counter(), limit, r.windowMillis(),
        r.buckets(), r.amount(), r.leaseId(), r.leaseUntilMillis());
  }

  /**
   * Settles in Redis, or in the local store for what it counted; never throws for Redis: what it
   * did not take is kept and written when it answers.
   */
  @Override
  public void settle(List<Settlement> settlements, long nowMillis) {
    if (settlements.isEmpty()) {
      return;
    }
    InMemoryLimitStore fallback = local;
    List<Settlement> toRedis = new ArrayList<>(settlements.size());
    List<Settlement> toLocal = null;
    for (Settlement s : settlements) {
      boolean local = false;
      if (fallback != null && localUsed) {
        LimitRequest r = s.request();
        local = r.isSlot() || localAdmissions.take(r.counter(), s.countedAtMillis());
        if (local) {
          if (toLocal == null) {
            toLocal = new ArrayList<>(settlements.size());
          }
          toLocal.add(s);
        }
      }
      if (!local || s.request().isSlot()) {
        toRedis.add(s); // a slot is released in both: releasing one not held does nothing
      }
    }
    if (toLocal != null) {
      fallback.settle(toLocal, nowMillis);
    }
    if (toRedis.isEmpty()) {
      return;
    }
    Availability availability = stores.availability();
    if (availability.shouldTry()) {
      try {
        redis.settle(toRedis);
        stores.succeeded();
        return;
      } catch (RedisException e) {
        availability.failed(e);
      }
    }
    keep(toRedis);
  }

  /** Keeps settlements Redis did not take: slot releases until written, corrections once. */
  private void keep(List<Settlement> settlements) {
    List<Settlement> releases = new ArrayList<>();
    List<Settlement> corrections = new ArrayList<>();
    for (Settlement s : settlements) {
      (s.request().isSlot() ? releases : corrections).add(s);
    }
    Reconciler reconciler = stores.reconciler();
    if (!releases.isEmpty()) {
      reconciler.add(new Replay(List.copyOf(releases), true));
    }
    if (!corrections.isEmpty()) {
      reconciler.add(new Replay(List.copyOf(corrections), false));
    }
  }

  private void releaseLater(List<LimitRequest> requests) {
    List<Settlement> releases = null;
    for (LimitRequest r : requests) {
      if (r.isSlot()) {
        if (releases == null) {
          releases = new ArrayList<>(2);
        }
        releases.add(Settlement.release(r));
      }
    }
    if (releases != null) {
      stores.reconciler().add(new Replay(releases, true));
    }
  }

  /** Settlements to write to Redis when it answers. */
  private final class Replay implements Reconciler.Item {
    private final List<Settlement> settlements;
    private final boolean idempotent;

    Replay(List<Settlement> settlements, boolean idempotent) {
      this.settlements = settlements;
      this.idempotent = idempotent;
    }

    @Override
    public @Nullable String key() {
      return null;
    }

    @Override
    public void replay() {
      redis.settle(settlements);
    }

    @Override
    public boolean idempotent() {
      return idempotent;
    }
  }

  @Override
  public String toString() {
    return "RedisLimitStore[" + stores.policy() + "]";
  }
}
