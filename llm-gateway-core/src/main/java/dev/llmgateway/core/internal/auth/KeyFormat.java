package dev.llmgateway.core.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The form of an API key and its hash: {@code <prefix><key id>_<secret>}, where the key id is 16
 * characters of lower-case base32 (80 random bits) and the secret 43 characters of base64url (32
 * bytes of {@link SecureRandom}, 256 bits). The whole key is hashed with SHA-256. Keys are checked
 * for form before they are hashed, and nothing here ever puts a key in a message. Thread-safe.
 */
public final class KeyFormat {
  /** The longest key looked at; anything longer is refused unread. */
  public static final int MAX_KEY_LENGTH = 256;
  /** The length of a key id. */
  public static final int KEY_ID_LENGTH = 16;
  private static final int SECRET_BYTES = 32;
  private static final int SECRET_LENGTH = 43;
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final ThreadLocal<Hasher> SHA256 = ThreadLocal.withInitial(Hasher::new);
  /** The longest key hashed from the thread's scratch array; longer ones are copied. */
  private static final int SCRATCH_BYTES = 128;

  /**
   * A thread's digest and the scratch array a key's bytes are hashed from (zeroed after each key:
   * nothing of one call stays for the next), instead of a copy of every key.
   */
  private static final class Hasher {
    final MessageDigest digest = newSha256();
    final byte[] scratch = new byte[SCRATCH_BYTES];
  }

  private final String prefix;
  private final int keyLength;
  private final SecureRandom random;

  /** Keys that start with {@code prefix}, made from {@code random}. */
  public KeyFormat(String prefix, SecureRandom random) {
    this.prefix = prefix;
    this.keyLength = prefix.length() + KEY_ID_LENGTH + 1 + SECRET_LENGTH;
    this.random = random;
  }

  /** The prefix every key starts with. */
  public String prefix() {
    return prefix;
  }

  /** A new random key id. */
  public String newKeyId() {
    byte[] bytes = new byte[10];
    random.nextBytes(bytes);
    char[] id = new char[KEY_ID_LENGTH];
    long bits = 0;
    int have = 0;
    int out = 0;
    for (byte b : bytes) {
      bits = (bits << 8) | (b & 0xff);
      have += 8;
      while (have >= 5) {
        have -= 5;
        id[out++] = BASE32[(int) (bits >>> have) & 31];
      }
    }
    return new String(id);
  }

  /** A new raw key carrying {@code keyId}. */
  public String newKey(String keyId) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return prefix + keyId + '_' + BASE64URL.encodeToString(secret);
  }

  /** Whether {@code keyId} has the form of a key id (so it may be quoted in a message). */
  public static boolean isKeyId(String keyId) {
    if (keyId.length() != KEY_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < KEY_ID_LENGTH; i++) {
      char c = keyId.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * What is wrong with the form of {@code key}, in words that quote none of it, or null when it
   * has this format's form. Checks the length bound first, so a huge input is not scanned.
   */
  public @Nullable String malformed(String key) {
    int n = key.length();
    if (n > MAX_KEY_LENGTH) {
      return "the key is longer than " + MAX_KEY_LENGTH + " characters";
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c > '~') {
        return "the key holds a character outside printable ASCII (a space, a control character"
            + " or non-ASCII): copy it again without surrounding text";
      }
    }
    if (!key.startsWith(prefix)) {
      return "the key does not start with '" + prefix + "', the prefix of this gateway's keys";
    }
    if (n != keyLength) {
      return "the key has " + n + " characters where this gateway's keys have " + keyLength
          + ": it was cut or joined to something";
    }
    return null;
  }

  /** The SHA-256 hash of {@code key}, which has been checked for form (ASCII). */
  public static byte[] sha256(String key) {
    Hasher h = SHA256.get();
    int n = key.length();
    if (n > SCRATCH_BYTES) {
      return h.digest.digest(key.getBytes(StandardCharsets.ISO_8859_1));
    }
    byte[] bytes = h.scratch;
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) key.charAt(i);
    }
    h.digest.update(bytes, 0, n);
    Arrays.fill(bytes, 0, n, (byte) 0);
    return h.digest.digest();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
