package dev.llmgateway.core.internal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.llmgateway.Principal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The principals of tokens verified lately, so a hot token is not verified on every call. Keyed by
 * the SHA-256 of the token (the token itself is never kept); each entry lives until its token's
 * {@code exp} or the maximum time to live, whichever comes first, on the authenticator's clock
 * (Caffeine's ticker), and a hit is checked against that clock once more. Bounded in size. A size
 * of 0 turns it off. Thread-safe.
 */
final class VerifiedTokens {
  private static final MessageDigest SHA_256;

  static {
    try {
      SHA_256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e); // every JDK has SHA-256
    }
  }

  private final @Nullable Cache<Digest, Entry> cache;
  private final Duration maxTtl;
  private final Clock clock;

  VerifiedTokens(int maxSize, Duration maxTtl, Clock clock) {
    this.maxTtl = maxTtl;
    this.clock = clock;
    this.cache = maxSize == 0 ? null : Caffeine.newBuilder()
        .maximumSize(maxSize)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .expireAfter(Expiry.<Digest, Entry>creating(
            (digest, entry) -> Duration.between(clock.instant(), entry.until())))
        .build();
  }

  boolean enabled() {
    return cache != null;
  }

  @Nullable Principal get(Digest digest) {
    Entry entry = cache == null ? null : cache.getIfPresent(digest);
    return entry != null && clock.instant().isBefore(entry.until()) ? entry.principal() : null;
  }

  void put(Digest digest, Principal principal, Instant expiry, Instant now) {
    Instant until = now.plus(maxTtl);
    if (expiry.isBefore(until)) {
      until = expiry;
    }
    if (cache != null && now.isBefore(until)) {
      cache.put(digest, new Entry(principal, until));
    }
  }

  private record Entry(Principal principal, Instant until) {}

  /** The SHA-256 of a token, compared in full. Prints nothing of it. */
  record Digest(long a, long b, long c, long d) {
    static Digest of(String token) {
      MessageDigest sha;
      try {
        sha = (MessageDigest) SHA_256.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
      }
      ByteBuffer hash = ByteBuffer.wrap(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
      return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    @Override
    public String toString() {
      return "Digest[redacted]";
    }
  }
}
