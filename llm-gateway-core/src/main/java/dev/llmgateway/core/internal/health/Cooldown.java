package dev.llmgateway.core.internal.health;

import dev.llmgateway.GatewayException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * How long a deployment rests after a rate limit (429) or an exhausted quota: the server's
 * {@code Retry-After}, or {@link CircuitBreakerPolicy#rateLimitCooldown()} when it names none,
 * never longer than {@link CircuitBreakerPolicy#maxCooldown()}. A later, shorter cooldown never
 * shortens a running one. A disabled policy never cools down.
 *
 * <p>Thread-safe and lock-free: the end and its reason are one immutable value behind an atomic
 * reference, read with one volatile load and replaced by compare-and-set (a new value only when a
 * cooldown starts or grows).
 */
final class Cooldown {
  private static final Spell NEVER = new Spell(0, "");

  private final boolean enabled;
  private final Duration max;
  private final long maxMillis;
  private final long defaultMillis;
  private final AtomicReference<Spell> spell = new AtomicReference<>(NEVER);

  Cooldown(CircuitBreakerPolicy policy) {
    this.enabled = policy.enabled();
    this.max = policy.maxCooldown();
    this.maxMillis = Millis.of(max);
    this.defaultMillis = Millis.of(policy.rateLimitCooldown()); // <= max, as built
  }

  /** Epoch millis when the cooldown ends; 0 when the deployment never cooled down. */
  long untilMillis() {
    return spell.get().untilMillis();
  }

  /**
   * Starts or extends the cooldown that {@code error} (a rate limit or an exhausted quota) asks
   * for at {@code now}; a zero or negative retry-after starts none.
   */
  void start(long now, GatewayException error) {
    if (!enabled) {
      return;
    }
    @Nullable Duration retryAfter = error instanceof RateLimitedException
        ? ((RateLimitedException) error).retryAfter()
        : null;
    long millis = retryAfter == null ? defaultMillis : capped(retryAfter);
    if (millis <= 0) {
      return;
    }
    long until = Millis.plus(now, millis);
    Spell current = spell.get();
    if (until <= current.untilMillis()) {
      return;
    }
    Spell next = new Spell(until, reason(error, retryAfter));
    while (until > current.untilMillis() && !spell.compareAndSet(current, next)) {
      current = spell.get();
    }
  }

  /** The cooldown's end when it is still running at {@code now}, else null. */
  @Nullable Instant until(long now) {
    long until = untilMillis();
    return now < until ? Instant.ofEpochMilli(until) : null;
  }

  /** Why the deployment rests and until when, if it still does at {@code now}; else null. */
  @Nullable String reason(long now) {
    Spell s = spell.get();
    if (now >= s.untilMillis()) {
      return null;
    }
    return s.reason() + " until " + Instant.ofEpochMilli(s.untilMillis());
  }

  private long capped(Duration retryAfter) {
    if (retryAfter.isNegative()) {
      return 0;
    }
    return retryAfter.compareTo(max) > 0 ? maxMillis : retryAfter.toMillis();
  }

  private static String reason(GatewayException error, @Nullable Duration retryAfter) {
    if (!(error instanceof RateLimitedException)) {
      return "cooling down after the provider's quota ran out";
    }
    return retryAfter == null
        ? "cooling down after a rate limit (429)"
        : "cooling down after a rate limit (429, retry after " + retryAfter + ")";
  }

  /** One cooldown: when it ends (epoch millis) and why. */
  private record Spell(long untilMillis, String reason) {}
}
