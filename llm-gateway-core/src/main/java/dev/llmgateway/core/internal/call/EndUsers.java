package dev.llmgateway.core.internal.call;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes end-user ids before they reach a provider (e.g. as OpenAI's {@code safety_identifier}):
 * HMAC-SHA256 under the gateway's key, as 64 lower-case hex characters — stable per user within a
 * gateway (and across gateways given the same key), never the raw id, and, unlike a plain hash, not
 * something a provider can confirm a guessed id (an e-mail address) against. One instance per
 * gateway; its memo of recent users is its own and bounded. Thread-safe.
 */
public final class EndUsers {
  /** The shortest key accepted: 128 bits. */
  public static final int MIN_KEY_BYTES = 16;
  /** The length of a generated key: 256 bits, the size of the hash. */
  public static final int GENERATED_KEY_BYTES = 32;
  private static final String HMAC = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int MAX_RECENT = 10_000;
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance(HMAC);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + HMAC, e);
    }
  });

  private final SecretKeySpec key;
  /** Hashes of recent users: an HMAC per call would cost about two microseconds. */
  private final ConcurrentHashMap<String, String> recent = new ConcurrentHashMap<>();

  /**
   * Hashes under the given key (copied).
   *
   * @throws IllegalArgumentException when the key is shorter than {@link #MIN_KEY_BYTES}
   */
  public EndUsers(byte[] key) {
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("an end-user id key needs at least " + MIN_KEY_BYTES
          + " bytes (32 recommended), was " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), HMAC);
  }

  /** A new random key of {@link #GENERATED_KEY_BYTES} bytes. */
  public static byte[] randomKey() {
    byte[] key = new byte[GENERATED_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** The user's hash, from the recent ones or computed (the memo is dropped when full). */
  public String hash(String userId) {
    String hash = recent.get(userId);
    if (hash == null) {
      hash = compute(userId);
      if (recent.size() >= MAX_RECENT) {
        recent.clear();
      }
      recent.put(userId, hash);
    }
    return hash;
  }

  /** How many hashes are remembered (at most 10,000). */
  int remembered() {
    return recent.size();
  }

  private String compute(String userId) {
    Mac mac = MACS.get();
    byte[] sum;
    try {
      mac.init(key);
      sum = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("an HmacSHA256 key was refused", e);
    }
    char[] out = new char[sum.length * 2];
    for (int i = 0; i < sum.length; i++) {
      out[2 * i] = HEX[(sum[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[sum[i] & 0xf];
    }
    return new String(out);
  }

  @Override
  public String toString() {
    return "EndUsers[HmacSHA256, key redacted]";
  }
}
