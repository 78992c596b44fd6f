package dev.llmgateway.core.internal.call;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hashes end-user ids before they reach a provider (e.g. as OpenAI's {@code safety_identifier}):
 * SHA-256 of a fixed prefix and the id, as 64 lower-case hex characters — stable per user, never
 * the raw id.
 */
final class EndUsers {
  private static final byte[] PREFIX = "llm-gateway:end-user:".getBytes(StandardCharsets.UTF_8);
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  });

  /** Hashes of recent users: a SHA-256 per call would cost about a microsecond. */
  private static final ConcurrentHashMap<String, String> RECENT = new ConcurrentHashMap<>();
  private static final int MAX_RECENT = 10_000;

  private EndUsers() {}

  /** The user's hash, from the recent ones or computed (the memo is dropped when full). */
  public static String hash(String userId) {
    String hash = RECENT.get(userId);
    if (hash == null) {
      hash = compute(userId);
      if (RECENT.size() >= MAX_RECENT) {
        RECENT.clear();
      }
      RECENT.put(userId, hash);
    }
    return hash;
  }

  private static String compute(String userId) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    digest.update(PREFIX);
    byte[] sum = digest.digest(userId.getBytes(StandardCharsets.UTF_8));
    char[] out = new char[sum.length * 2];
    for (int i = 0; i < sum.length; i++) {
      out[2 * i] = HEX[(sum[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[sum[i] & 0xf];
    }
    return new String(out);
  }
}
