package dev.llmgateway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Principal;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.auth.ApiKeyRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 16 threads authenticate while an admin thread revokes and rotates (with no grace), seeded. The
 * guarantee, per key: (1) an authentication that starts after {@code revoke} or {@code rotate}
 * returned never accepts the old key; (2) a key is refused only once its revocation or rotation
 * began; (3) an accepted key always yields its own principal; (4) a key made by {@code rotate} is
 * accepted as soon as {@code rotate} returns. Authentications that overlap the admin call may see
 * either state.
 */
@Timeout(120)
class ApiKeysConcurrencyTest {
  private static final int SLOTS = 64;
  private static final int ADMIN_OPS = 3_000;
  private static final int THREADS = 16;
  private static final int MIN_CALLS = 2_000;
  private static final long SEED = 0x5eed_27L;

  /** One live key in a slot, and what the admin thread has done to it. */
  private static final class Slot {
    final String secret;
    final String keyId;
    volatile boolean begun;
    volatile boolean ended;

    Slot(CreatedKey key) {
      this.secret = key.secret();
      this.keyId = key.keyId();
    }
  }

  @Test
  void noCallAuthenticatesWithAKeyAfterItsRevocationOrRotationReturned() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    ApiKeys keys = ApiKeys.builder().clock(clock).audit(e -> { }).build();
    AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      slots.set(i, new Slot(keys.create(spec(i), "admin")));
    }
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      Future<?> admin = pool.submit(() -> {
        Random random = new Random(SEED);
        start.await();
        for (int op = 0; op < ADMIN_OPS; op++) {
          int i = random.nextInt(SLOTS);
          Slot slot = slots.get(i);
          slot.begun = true;
          Slot next;
          if (random.nextBoolean()) {
            keys.revoke(slot.keyId, "admin");
            slot.ended = true;
            next = new Slot(keys.create(spec(i), "admin"));
          } else {
            next = new Slot(keys.rotate(slot.keyId, Duration.ZERO, "admin"));
            slot.ended = true;
            if (keys.authenticate(dev.llmgateway.Caller.apiKey(next.secret)) == null) {
              violations.add("a rotated-in key was not accepted after rotate returned");
            }
          }
          slots.set(i, next);
        }
        return null;
      });
      List<Future<?>> workers = new java.util.ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long seed = SEED + t;
        workers.add(pool.submit(() -> {
          Random random = new Random(seed);
          start.await();
          // Each worker runs at least MIN_CALLS, and on until the admin thread is done.
          for (int n = 0; n < MIN_CALLS || !admin.isDone(); n++) {
            Slot slot = slots.get(random.nextInt(SLOTS));
            boolean endedBefore = slot.ended;
            try {
              Principal p = keys.authenticate(dev.llmgateway.Caller.apiKey(slot.secret));
              accepted.incrementAndGet();
              if (endedBefore) {
                violations.add("key " + slot.keyId + " accepted after its revocation returned");
              }
              if (p == null || !slot.keyId.equals(p.keyId())) {
                violations.add("key " + slot.keyId + " yielded another principal");
              }
            } catch (ApiKeyRejectedException e) {
              refused.incrementAndGet();
              if (!slot.begun) {
                violations.add("key " + slot.keyId + " refused before any admin call on it");
              }
              if (e.rejection() != Reason.REVOKED && e.rejection() != Reason.ROTATED_OUT) {
                violations.add("key " + slot.keyId + " refused as " + e.rejection());
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      admin.get();
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(violations).isEmpty();
    assertThat(accepted.get()).isGreaterThan(1_000);
    assertThat(refused.get()).isPositive();
    assertThat(keys.list()).hasSize(SLOTS + ADMIN_OPS);
  }

  private static KeySpec spec(int slot) {
    return KeySpec.of(Principal.builder().team("team-" + slot).build());
  }
}
